using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// One read of GET /identityProtection/riskyUsers for <see cref="RiskOfWave"/>: pages of at most 500 with $top (Graph
/// docs "List riskyUsers"), until every user asked for is found or the list ends (then it is complete: a user missing
/// from it has no risk recorded), and at most as many pages as users asked for. A 403 (no P2 licence) is returned, not thrown.
/// </summary>
internal static class RiskyUserList
{
    private const int PageSize = 500;

    public static async Task<RiskyUserListing> ReadAsync(GraphServiceClient graph, long seq, DateTimeOffset at, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, RiskyUser>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var page = await graph.IdentityProtection.RiskyUsers.GetAsync(r =>
            {
                r.QueryParameters.Top = PageSize;
                r.QueryParameters.Select = ["id", "userPrincipalName", "riskLevel", "riskState", "riskDetail"];
            }, cancellationToken);
            var pages = 1;
            Collect(page, listed);
            while (page?.OdataNextLink is { } next && !wanted.All(listed.ContainsKey) && pages < wanted.Count)
            {
                page = await graph.IdentityProtection.RiskyUsers.WithUrl(OnOurBase(graph, next)).GetAsync(cancellationToken: cancellationToken);
                pages++;
                Collect(page, listed);
            }

            return new RiskyUserListing(seq, at, listed, Complete: page?.OdataNextLink is null, null);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            return new RiskyUserListing(seq, at, listed, false, GraphErrors.ToErrorInfo(error));
        }
    }

    private static void Collect(RiskyUserCollectionResponse? page, Dictionary<string, RiskyUser> listed)
    {
        foreach (var risky in page?.Value ?? [])
        {
            if (risky.Id is { } id)
            {
                listed[id] = risky;
            }
        }
    }

    /// <summary>A nextLink names Graph's public host: follow it on the client's own base (sovereign clouds, the simulated tenant).</summary>
    private static string OnOurBase(GraphServiceClient graph, string nextLink)
    {
        const string marker = "/v1.0/";
        var ours = graph.RequestAdapter.BaseUrl?.TrimEnd('/');
        var index = nextLink.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return ours is null || index < 0 ? nextLink : ours + "/" + nextLink[(index + marker.Length)..];
    }
}

/// <summary>One read of the list: sent as number <paramref name="Seq"/> at <paramref name="At"/>; complete when it ran to its last page.</summary>
internal sealed record RiskyUserListing(long Seq, DateTimeOffset At, Dictionary<string, RiskyUser> Listed, bool Complete, ErrorInfo? Forbidden);

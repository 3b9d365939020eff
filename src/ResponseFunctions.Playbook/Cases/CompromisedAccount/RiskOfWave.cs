using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// The Identity Protection risk of a wave's users, read with the list (GET /identityProtection/riskyUsers, pages of
/// at most 500 with $top, Graph docs "List riskyUsers") rather than one GET per user: Identity Protection allows one
/// request per second per tenant, so a wave of 50 costs one page instead of 50 seconds. A user missing from the list
/// has no risk recorded (what a GET answers with 404). Paging stops once every user asked for is found; a tenant with
/// so many risky users that the list costs more pages than the wave has users reads the rest one by one.
/// </summary>
internal static class RiskOfWave
{
    /// <summary>Users per confirmCompromised request. Graph documents no limit for it; its sibling dismiss takes at most 60 (Graph docs, riskyUsers: dismiss).</summary>
    public const int MaxUsersPerConfirm = 60;

    private const int PageSize = 500;

    public static async Task<Dictionary<string, UserRisk>> ReadAsync(
        GraphServiceClient graph, IReadOnlyList<string> userIds, Func<string, Task<UserRisk>> readOne, CancellationToken cancellationToken)
    {
        var risks = new Dictionary<string, UserRisk>(StringComparer.OrdinalIgnoreCase);
        if (userIds.Count == 0)
        {
            return risks;
        }

        var wanted = new HashSet<string>(userIds, StringComparer.OrdinalIgnoreCase);
        try
        {
            var page = await graph.IdentityProtection.RiskyUsers.GetAsync(r =>
            {
                r.QueryParameters.Top = PageSize;
                r.QueryParameters.Select = ["id", "userPrincipalName", "riskLevel", "riskState", "riskDetail"];
            }, cancellationToken);
            var pages = 1;
            Collect(page, wanted, risks);
            while (page?.OdataNextLink is { } next && risks.Count < wanted.Count && pages < wanted.Count)
            {
                page = await graph.IdentityProtection.RiskyUsers.WithUrl(OnOurBase(graph, next)).GetAsync(cancellationToken: cancellationToken);
                pages++;
                Collect(page, wanted, risks);
            }

            var complete = page?.OdataNextLink is null;
            foreach (var id in wanted.Where(id => !risks.ContainsKey(id)).ToList())
            {
                risks[id] = complete ? new UserRisk(null, null) : await readOne(id);
            }
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            foreach (var id in wanted)
            {
                risks[id] = new UserRisk(null, GraphErrors.ToErrorInfo(error));
            }
        }

        return risks;
    }

    private static void Collect(RiskyUserCollectionResponse? page, HashSet<string> wanted, Dictionary<string, UserRisk> risks)
    {
        foreach (var risky in page?.Value ?? [])
        {
            if (risky.Id is { } id && wanted.Contains(id))
            {
                risks[id] = new UserRisk(risky, null);
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

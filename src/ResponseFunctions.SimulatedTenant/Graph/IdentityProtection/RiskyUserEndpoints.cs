using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Graph.IdentityProtection.RiskyUsers.ConfirmCompromised;
using Microsoft.Graph.IdentityProtection.RiskyUsers.Dismiss;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.IdentityProtection;

/// <summary>
/// /identityProtection/riskyUsers. The P2 licence gate lives in the pipeline so that every identityProtection
/// path (even unsimulated ones) answers 403 on an unlicensed tenant, like the real service.
/// </summary>
internal static class RiskyUserEndpoints
{
    private const string Collection = "identityProtection/riskyUsers";

    private static readonly Dictionary<string, Func<SimRiskyUser, string?>> Filters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = r => r.Id,
        ["userPrincipalName"] = r => r.UserPrincipalName,
        ["riskLevel"] = r => r.RiskLevel,
        ["riskState"] = r => r.RiskState,
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("POST", $"{Collection}/confirmCompromised", ConfirmCompromised)
        .Map("POST", $"{Collection}/dismiss", Dismiss)
        .Map("GET", $"{Collection}/{{id}}", Get);

    /// <summary>
    /// The list, filtered; with $top (at most 500, Graph docs "List riskyUsers") it pages, with an @odata.nextLink
    /// carrying $skiptoken. Without $top every match is returned (the docs state no default page size).
    /// </summary>
    private static GraphResponse List(GraphRequest request)
    {
        if (request.OData.Top is not { } top)
        {
            var risky = request.State.Read(m => request.OData.Apply(m.RiskyUsers, Filters).Select(ToGraph).ToList());
            return GraphResponse.Ok(GraphJson.Collection(risky, Collection));
        }

        if (top > MaxPageSize)
        {
            throw GraphException.BadRequest($"Invalid page size specified: '{top}'. Must be between 1 and {MaxPageSize} inclusive.");
        }

        var skip = 0;
        if (request.Query.TryGetValue("$skiptoken", out var s) && !int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            throw GraphException.BadRequest($"Invalid $skiptoken '{s}'.");
        }

        var all = request.OData.WithoutTop();
        // Only the page is shaped as Graph objects: every wave reads the whole list, so its cost is the page's.
        var (page, count) = request.State.Read(m =>
        {
            var matching = all.Apply(m.RiskyUsers, Filters).ToList();
            return (matching.Skip(skip).Take(top).Select(ToGraph).ToList(), matching.Count);
        });
        var body = JsonNode.Parse(GraphJson.Collection(page, Collection))!.AsObject();
        if (skip + top < count)
        {
            var query = string.Join("&", new[]
            {
                request.Query["$filter"].ToString() is { Length: > 0 } f ? "$filter=" + Uri.EscapeDataString(f) : null,
                request.Query["$select"].ToString() is { Length: > 0 } select ? "$select=" + Uri.EscapeDataString(select) : null,
                $"$top={top}",
                $"$skiptoken={skip + top}",
            }.OfType<string>());

            // Graph's own host, as the real service answers; clients follow it on the base URL they were configured with.
            body["@odata.nextLink"] = $"https://graph.microsoft.com/v1.0/{Collection}?{query}";
        }

        return GraphResponse.Ok(body.ToJsonString());
    }

    private const int MaxPageSize = 500;

    private static GraphResponse Get(GraphRequest request)
    {
        var risky = request.State.Read(m => Find(m, request["id"]) is { } r ? ToGraph(r) : null)
            ?? throw GraphException.ResourceNotFound($"The risky user '{request["id"]}' does not exist.");
        return GraphResponse.Ok(GraphJson.Entity(risky, $"{Collection}/$entity"));
    }

    private static GraphResponse ConfirmCompromised(GraphRequest request)
    {
        var userIds = request.BodyAs(ConfirmCompromisedPostRequestBody.CreateFromDiscriminatorValue).UserIds;
        Update(request, userIds, "high", "confirmedCompromised", "adminConfirmedUserCompromised");
        return GraphResponse.NoContent();
    }

    private static GraphResponse Dismiss(GraphRequest request)
    {
        var userIds = request.BodyAs(DismissPostRequestBody.CreateFromDiscriminatorValue).UserIds;
        Update(request, userIds, "none", "dismissed", "adminDismissedAllRiskForUser");
        return GraphResponse.NoContent();
    }

    private static void Update(GraphRequest request, List<string>? userIds, string level, string state, string detail)
    {
        if (userIds is not { Count: > 0 })
        {
            throw GraphException.BadRequest("userIds must contain at least one user id.");
        }

        request.State.Mutate(m =>
        {
            // Check every id first so an invalid one changes nothing.
            var users = userIds.Select(id => m.Users.FirstOrDefault(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphException.BadRequest($"Invalid user id '{id}'.")).ToList();
            foreach (var user in users)
            {
                var risky = Find(m, user.Id);
                if (risky is null)
                {
                    risky = new SimRiskyUser { Id = user.Id, UserPrincipalName = user.UserPrincipalName, UserDisplayName = user.DisplayName };
                    m.RiskyUsers.Add(risky);
                }

                risky.RiskLevel = level;
                risky.RiskState = state;
                risky.RiskDetail = detail;
                risky.RiskLastUpdatedDateTime = request.Now;
            }
        });
    }

    private static SimRiskyUser? Find(TenantModel model, string id) =>
        model.RiskyUsers.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));

    private static RiskyUser ToGraph(SimRiskyUser r) => new()
    {
        Id = r.Id,
        UserPrincipalName = r.UserPrincipalName,
        UserDisplayName = r.UserDisplayName,
        RiskLevel = ParseEnum<RiskLevel>(r.RiskLevel),
        RiskState = ParseEnum<RiskState>(r.RiskState),
        RiskDetail = ParseEnum<RiskDetail>(r.RiskDetail),
        RiskLastUpdatedDateTime = r.RiskLastUpdatedDateTime,
        IsDeleted = false,
        IsProcessing = false,
    };

    private static T? ParseEnum<T>(string value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) ? parsed : null;
}

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

    private static GraphResponse List(GraphRequest request)
    {
        var risky = request.State.Read(m => request.OData.Apply(m.RiskyUsers, Filters).Select(ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(risky, Collection));
    }

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

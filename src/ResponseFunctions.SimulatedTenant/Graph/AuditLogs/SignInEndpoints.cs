using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.AuditLogs;

/// <summary>/auditLogs/signIns, newest first, as the real log is returned.</summary>
internal static class SignInEndpoints
{
    private const string Collection = "auditLogs/signIns";

    private static readonly Dictionary<string, Func<SimSignIn, string?>> Filters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userId"] = s => s.UserId,
        ["userPrincipalName"] = s => s.UserPrincipalName,
        ["ipAddress"] = s => s.IpAddress,
        ["appDisplayName"] = s => s.AppDisplayName,
        ["appId"] = s => s.AppId,
    };

    private static readonly Dictionary<string, Func<IEnumerable<SimSignIn>, IEnumerable<SimSignIn>>> Orderings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["createdDateTime desc"] = s => s.OrderByDescending(x => x.CreatedDateTime),
        ["createdDateTime"] = s => s.OrderBy(x => x.CreatedDateTime),
        ["createdDateTime asc"] = s => s.OrderBy(x => x.CreatedDateTime),
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("GET", $"{Collection}/{{id}}", Get);

    private static GraphResponse List(GraphRequest request)
    {
        var signIns = request.State.Read(m => request.OData
            .Apply(m.SignIns.OrderByDescending(s => s.CreatedDateTime), Filters, Orderings)
            .Select(ToGraph)
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(signIns, Collection));
    }

    private static GraphResponse Get(GraphRequest request)
    {
        var signIn = request.State.Read(m =>
                m.SignIns.FirstOrDefault(s => string.Equals(s.Id, request["id"], StringComparison.OrdinalIgnoreCase)) is { } s ? ToGraph(s) : null)
            ?? throw GraphException.ResourceNotFound($"The sign-in '{request["id"]}' does not exist.");
        return GraphResponse.Ok(GraphJson.Entity(signIn, $"{Collection}/$entity"));
    }

    private static SignIn ToGraph(SimSignIn s) => new()
    {
        Id = s.Id,
        CreatedDateTime = s.CreatedDateTime,
        UserId = s.UserId,
        UserPrincipalName = s.UserPrincipalName,
        UserDisplayName = s.UserDisplayName,
        AppDisplayName = s.AppDisplayName,
        AppId = s.AppId,
        ClientAppUsed = s.ClientAppUsed,
        IpAddress = s.IpAddress,
        IsInteractive = true,
        Location = new SignInLocation { City = s.City, CountryOrRegion = s.CountryOrRegion },
        Status = new SignInStatus { ErrorCode = s.ErrorCode, FailureReason = s.FailureReason },
    };
}

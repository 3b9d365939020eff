using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// A service other than Microsoft Graph that the simulated tenant speaks (Exchange Online admin API, Azure Resource
/// Manager, Teams webhooks...). The pipeline logs its requests and injects faults; the plane does the rest.
/// </summary>
internal interface ISimulatedPlane
{
    /// <summary>Whether this plane answers <paramref name="path"/> (e.g. it starts with "/adminapi/").</summary>
    bool Handles(string path);

    /// <summary>Answers the request (authentication included) and returns the status code written.</summary>
    Task<int> HandleAsync(PlaneContext context);

    /// <summary>The body of an error as this service words it, for injected faults.</summary>
    string ErrorBody(int statusCode, string code, string message);
}

/// <summary>One request to a plane: the decoded path and query, the body already read (may be null), the tenant.</summary>
internal sealed record PlaneContext(HttpContext Http, string Path, string PathAndQuery, string? Body, SimulatorServices Services);

using Microsoft.Azure.Functions.Worker.Http;

namespace ResponseFunctions.Http;

/// <summary>The API's routes (under host.json's routePrefix "api") and the absolute links responses carry.</summary>
internal static class Routes
{
    public const string Prefix = "api";

    public const string Containments = "containments";
    public const string Containment = "containments/{id}";
    public const string Approval = "containments/{id}/approvals/{requestId}";
    public const string Release = "containments/{id}/release";

    public static Uri ContainmentUri(HttpRequestData request, string instanceId) =>
        new(request.Url, $"/{Prefix}/containments/{Uri.EscapeDataString(instanceId)}");

    public static Uri ApprovalUri(HttpRequestData request, string instanceId, string requestId) =>
        new(request.Url, $"/{Prefix}/containments/{Uri.EscapeDataString(instanceId)}/approvals/{Uri.EscapeDataString(requestId)}");
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>One answer of a simulated Azure service: status, JSON body, headers (Azure-AsyncOperation, Location, Retry-After).</summary>
internal sealed record ArmReply(int Status, JsonNode? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>ARM's error body: {"error":{"code","message"}}.</summary>
    /// <remarks>Source: github.com/Azure/azure-resource-manager-rpc, v1.0/common-api-details.md ("Error Response Content").</remarks>
    public static ArmReply Error(int status, string code, string message) =>
        new(status, ErrorBody(code, message));

    public static JsonObject ErrorBody(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public static ArmReply NotFound(string id)
    {
        var type = ArmPath.TypeOf(id);
        return Error(404, "ResourceNotFound",
            $"The Resource '{type}/{id[(id.LastIndexOf('/') + 1)..]}' under resource group '{ArmPath.ResourceGroupOf(id)}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    public async Task<int> WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = Status;
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        if (Body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(Body.ToJsonString(), Encoding.UTF8);
        }

        return Status;
    }
}

/// <summary>Reading ARM ids: /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child type}/{child name}…].</summary>
internal static class ArmPath
{
    public static string[] Segments(string id) => id.Trim('/').Split('/');

    public static string? ResourceGroupOf(string id)
    {
        var s = Segments(id);
        var i = Array.FindIndex(s, x => x.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase));
        return i >= 0 && i + 1 < s.Length ? s[i + 1] : null;
    }

    public static string SubscriptionOf(string id) => Segments(id)[1];

    /// <summary>"Microsoft.Web/sites/slots" for a slot id: the namespace and every type segment.</summary>
    public static string TypeOf(string id)
    {
        var s = Segments(id);
        var p = Array.FindLastIndex(s, x => x.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (p < 0 || p + 1 >= s.Length)
        {
            return "";
        }

        var parts = new List<string> { s[p + 1] };
        for (var i = p + 2; i < s.Length; i += 2)
        {
            parts.Add(s[i]);
        }

        return string.Join('/', parts);
    }

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static string? IdOf(JsonNode? resource) => resource?["id"]?.GetValue<string>();
}

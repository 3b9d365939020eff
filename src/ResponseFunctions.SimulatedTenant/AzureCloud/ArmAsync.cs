using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// Asynchronous operations as resource providers run them: the first answer carries <c>Azure-AsyncOperation</c> (a status
/// resource: InProgress, then Succeeded) and <c>Location</c> (202 until done, then 200), with <c>Retry-After</c>; the
/// change lands when the operation completes.
/// </summary>
/// <remarks>Source: github.com/Azure/azure-resource-manager-rpc, v1.0/async-api-reference.md.</remarks>
internal static class ArmAsync
{
    /// <summary>What the simulated providers ask clients to wait between polls (Azure asks for 10 s or more; drills stay short).</summary>
    public const int RetryAfterSeconds = 1;

    public static bool IsOperationPath(string path) =>
        path.Contains("/locations/", StringComparison.OrdinalIgnoreCase)
        && (path.Contains("/operations/", StringComparison.OrdinalIgnoreCase) || path.Contains("/operationResults/", StringComparison.OrdinalIgnoreCase));

    /// <summary>Registers an operation that runs <paramref name="complete"/> when it ends; returns the headers of the first answer.</summary>
    public static Dictionary<string, string> Start(SimAzure azure, string origin, string version, string location, Action<SimAzure> complete)
    {
        var operation = new SimOperation { Id = Guid.NewGuid().ToString(), PollsLeft = azure.OperationPolls, Complete = complete };
        azure.Operations.Add(operation);
        var region = string.IsNullOrEmpty(location) ? "global" : location;
        return new Dictionary<string, string>
        {
            ["Azure-AsyncOperation"] = $"{origin}/locations/{region}/operations/{operation.Id}?api-version={version}",
            ["Location"] = $"{origin}/locations/{region}/operationResults/{operation.Id}?api-version={version}",
            ["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static ArmReply Poll(SimAzure azure, string path)
    {
        var id = path[(path.LastIndexOf('/') + 1)..];
        var operation = azure.Operations.FirstOrDefault(o => ArmPath.Same(o.Id, id));
        if (operation is null)
        {
            return ArmReply.Error(404, "OperationNotFound", $"Operation {id} was not found.");
        }

        if (operation.Status == "InProgress")
        {
            if (operation.PollsLeft > 0)
            {
                operation.PollsLeft--;
            }
            else
            {
                operation.Complete?.Invoke(azure);
                operation.Status = "Succeeded";
            }
        }

        var wait = new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (path.Contains("/operationResults/", StringComparison.OrdinalIgnoreCase))
        {
            return operation.Status == "InProgress" ? new ArmReply(202, null, wait) : new ArmReply(200, null);
        }

        return new ArmReply(200, new JsonObject { ["name"] = operation.Id, ["status"] = operation.Status }, operation.Status == "InProgress" ? wait : null);
    }
}

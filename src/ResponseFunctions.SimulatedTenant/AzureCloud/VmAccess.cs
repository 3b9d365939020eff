using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// VM extensions (<c>PUT {vm}/extensions/{name}</c>, asynchronous). The VMAccess extensions reset the local administrator's
/// password from <c>protectedSettings</c>, which ARM never returns: the simulator records who and when, never the password.
/// </summary>
/// <remarks>Source: learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/reset-local-password-without-agent and
/// azure/virtual-machines/extensions/vmaccess-linux (publisher Microsoft.Compute type VMAccessAgent; Microsoft.OSTCExtensions VMAccessForLinux).</remarks>
internal static class VmAccess
{
    public static ArmReply PutExtension(SimAzure azure, string path, JsonNode body, DateTimeOffset now, string origin, string version)
    {
        var vmId = path[..path.IndexOf("/extensions/", StringComparison.OrdinalIgnoreCase)];
        if (azure.Find(vmId) is not { } vm)
        {
            return ArmReply.NotFound(vmId);
        }

        if (vm["_powerState"]?.GetValue<string>() is "deallocated" or "stopped")
        {
            return ArmReply.Error(409, "OperationNotAllowed", "Cannot modify extensions in the VM when the VM is not running.");
        }

        var properties = body["properties"]?.DeepClone() as JsonObject ?? [];
        var secrets = properties["protectedSettings"];
        properties.Remove("protectedSettings");
        properties["provisioningState"] = "Succeeded";
        var existing = azure.Find(path);
        var extension = new JsonObject
        {
            ["id"] = path, ["name"] = path[(path.LastIndexOf('/') + 1)..], ["type"] = "Microsoft.Compute/virtualMachines/extensions",
            ["location"] = vm["location"]?.DeepClone(), ["properties"] = properties,
        };
        var type = properties["type"]?.GetValue<string>();
        if (type is "VMAccessAgent" or "VMAccessForLinux" && secrets?["password"] is not null)
        {
            var user = secrets["username"]?.GetValue<string>() ?? properties["settings"]?["UserName"]?.GetValue<string>() ?? "";
            azure.PasswordResets.Add(new SimPasswordReset(vmId, user, now));
        }

        azure.Resources.Remove(existing!);
        azure.Resources.Add(extension);
        var headers = ArmAsync.Start(azure, origin, version, vm["location"]?.GetValue<string>() ?? "", _ => { });
        return new ArmReply(existing is null ? 201 : 200, ArmHandlers.Public(extension), headers);
    }
}

using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>What the storage provider refuses in a PATCH of the account.</summary>
/// <remarks>Source: azure-rest-api-specs Storage storage.json (publicNetworkAccess: Enabled | Disabled | SecuredByPerimeter; NetworkRuleSet.defaultAction: Allow | Deny).</remarks>
internal static class StorageValidation
{
    public static (string Code, string Message)? Problem(JsonNode body)
    {
        var properties = body["properties"];
        var access = properties?["publicNetworkAccess"]?.GetValue<string>();
        if (access is not null && access is not ("Enabled" or "Disabled" or "SecuredByPerimeter"))
        {
            return ("InvalidValuesForRequestParameters", $"Values for request parameters are invalid: publicNetworkAccess '{access}'.");
        }

        var defaultAction = properties?["networkAcls"]?["defaultAction"]?.GetValue<string>();
        if (properties?["networkAcls"] is not null && defaultAction is not ("Allow" or "Deny"))
        {
            return ("InvalidValuesForRequestParameters", "networkAcls.defaultAction must be Allow or Deny.");
        }

        return null;
    }
}

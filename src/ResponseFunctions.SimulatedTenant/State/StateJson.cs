using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>JSON settings shared by scenario files, state export and the control endpoints.</summary>
internal static class StateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // Scenario typos must fail loudly instead of silently seeding nothing.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

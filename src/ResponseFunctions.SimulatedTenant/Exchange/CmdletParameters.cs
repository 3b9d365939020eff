using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.Exchange;

/// <summary>
/// The "Parameters" object of a CmdletInput, bound the way the service binds it: names case-insensitively, unknown
/// names refused as PowerShell refuses them, multi-valued add/remove only through a tagged GenericHashTable.
/// </summary>
internal sealed class CmdletParameters
{
    public const string HashTableType = "#Exchange.GenericHashTable";

    private readonly Dictionary<string, JsonNode?> _values;

    public CmdletParameters(string cmdlet, JsonObject? parameters, IReadOnlyCollection<string> accepted)
    {
        Cmdlet = cmdlet;
        _values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in parameters ?? [])
        {
            if (!accepted.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw ExchangeError.ParameterBinding(cmdlet, $"A parameter cannot be found that matches parameter name '{name}'.");
            }

            if (value is JsonObject table && (string?)table["@odata.type"] != HashTableType)
            {
                throw ExchangeError.ParameterBinding(cmdlet,
                    $"Cannot process argument transformation on parameter '{name}'. An object without \"@odata.type\": \"{HashTableType}\" cannot be bound.");
            }

            _values[name] = value?.DeepClone();
        }
    }

    public string Cmdlet { get; }

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    public JsonNode? Raw(string name) => _values.GetValueOrDefault(name);

    public string? String(string name) => _values.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public string Required(string name) => String(name) ?? throw ExchangeError.ParameterBinding(Cmdlet, $"Cannot bind argument to parameter '{name}' because it is null or missing.");

    public bool Switch(string name) => _values.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>A string-list parameter given as an array or a single string.</summary>
    public IReadOnlyList<string> List(string name) => _values.GetValueOrDefault(name) switch
    {
        JsonArray array => [.. array.Select(n => n?.GetValue<string>() ?? "")],
        JsonValue value when value.TryGetValue<string>(out var one) => [one],
        _ => [],
    };
}

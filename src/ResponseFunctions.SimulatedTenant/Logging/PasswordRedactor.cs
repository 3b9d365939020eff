using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>Removes password values from bodies before they are logged: a reset password must never reach a log.</summary>
internal static partial class PasswordRedactor
{
    public const string Mask = "***";

    public static string? Redact(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return body;
        }

        try
        {
            var node = JsonNode.Parse(body);
            if (node is null)
            {
                return body;
            }

            RedactNode(node);
            return node.ToJsonString();
        }
        catch (JsonException)
        {
            // Not JSON (or broken JSON): still scrub anything that looks like a password property.
            return LoosePasswordProperty().Replace(body, "\"password\":\"" + Mask + "\"");
        }
    }

    private static void RedactNode(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (string.Equals(name, "password", StringComparison.OrdinalIgnoreCase))
                    {
                        obj[name] = Mask;
                    }
                    else if (obj[name] is { } child)
                    {
                        RedactNode(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RedactNode(item);
                    }
                }

                break;
        }
    }

    [GeneratedRegex("\"password\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex LoosePasswordProperty();
}

using System.Text.Json;

namespace ResponseFunctions.Cli.Tests.Conformance;

/// <summary>exchange-online-cmdlets.json: every Exchange Online cmdlet with its parameters (from MicrosoftDocs/office-docs-powershell).</summary>
internal sealed class ExchangeCmdletList
{
    /// <summary>PowerShell's common parameters, which every cmdlet takes (about_CommonParameters) and the list leaves out.</summary>
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Debug", "ErrorAction", "ErrorVariable", "InformationAction", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        "ProgressAction", "Verbose", "WarningAction", "WarningVariable",
    };

    private readonly Dictionary<string, HashSet<string>> _cmdlets = new(StringComparer.OrdinalIgnoreCase);

    public ExchangeCmdletList(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var cmdlet in document.RootElement.GetProperty("cmdlets").EnumerateObject())
        {
            _cmdlets[cmdlet.Name] = new HashSet<string>(cmdlet.Value.EnumerateObject().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        }
    }

    public IEnumerable<string> Check(string cmdlet, IEnumerable<string> parameters)
    {
        if (!_cmdlets.TryGetValue(cmdlet, out var known))
        {
            yield return $"'{cmdlet}' is not an Exchange Online cmdlet";
            yield break;
        }

        foreach (var parameter in parameters.Where(p => !known.Contains(p) && !CommonParameters.Contains(p)))
        {
            yield return $"'{parameter}' is not a parameter of {cmdlet}";
        }
    }
}

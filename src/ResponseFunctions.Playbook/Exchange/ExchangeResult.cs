using System.Collections;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>What a cmdlet returned, every page joined, with the warnings the service attached (@adminapi.warnings).</summary>
public sealed class ExchangeResult(IReadOnlyList<JsonElement> objects, IReadOnlyList<string> warnings) : IReadOnlyList<JsonElement>
{
    // How the service says a Set-/Remove- found nothing to do: the change is already in place, not a failure.
    private static readonly string[] NoChangeMarkers =
    [
        "no settings of", "have been modified", "ACE doesn't exist", "ACE isn't present", "already",
    ];

    public IReadOnlyList<string> Warnings { get; } = warnings;

    /// <summary>The service answered that it had nothing to change (an idempotent re-run).</summary>
    public bool ChangedNothing => Warnings.Any(w => NoChangeMarkers.Any(m => w.Contains(m, StringComparison.OrdinalIgnoreCase)));

    public int Count => objects.Count;

    public JsonElement this[int index] => objects[index];

    public IEnumerator<JsonElement> GetEnumerator() => objects.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

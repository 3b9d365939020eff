using System.Text.Json;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>What apply did, with the state before and after, each planned change's own outcome and the warnings to act on.</summary>
public sealed record ApplyResult(
    ActionId Action,
    ActionTarget Target,
    ApplyOutcome Outcome,
    string Summary,
    IReadOnlyList<ChangeResult> Changes,
    IReadOnlyList<string> Warnings)
{
    public JsonElement? Before { get; init; }

    public JsonElement? After { get; init; }

    public ErrorInfo? Error { get; init; }
}

public enum ApplyOutcome
{
    /// <summary>Every planned change was made.</summary>
    Applied,

    /// <summary>The target was already in the planned state: nothing was sent (a retry or a second run).</summary>
    AlreadyInPlace,

    /// <summary>Some changes were made, others failed; see <see cref="ApplyResult.Changes"/>.</summary>
    PartiallyApplied,

    Failed,

    /// <summary>A safety rule re-checked at apply time forbade the change.</summary>
    Refused,
}

public sealed record ChangeResult(PlannedChange Change, ChangeOutcome Outcome, ErrorInfo? Error = null);

public enum ChangeOutcome
{
    Done,
    AlreadyDone,
    Failed,

    /// <summary>A safety rule re-checked for this one change forbade it (its error says which); the others went on.</summary>
    Refused,
}

/// <summary>A failure kept as data (not flattened into a string): where it came from, and whether retrying can help.</summary>
public sealed record ErrorInfo(ErrorKind Kind, string Code, string Message, int? HttpStatus = null);

public enum ErrorKind
{
    Forbidden,
    NotFound,
    BadRequest,
    Throttled,
    Transient,
    Unexpected,
}

using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>A fresh read after apply, checking that the tenant is now in the planned state.</summary>
public sealed record VerifyResult(ActionId Action, ActionTarget Target, VerifyOutcome Outcome, string Detail);

public enum VerifyOutcome
{
    Verified,

    /// <summary>The tenant does not show the planned state: the step needs an analyst's eye.</summary>
    Mismatch,

    Failed,
}

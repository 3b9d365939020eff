namespace ResponseFunctions.Playbook.Catalog;

/// <summary>One row of the catalog: what the sheet says of an action and what running it takes.</summary>
/// <param name="Order">Position inside the case and priority, as the priority table lists it.</param>
/// <param name="Destructive">Changes the tenant in a way an analyst must approve (unless policy pre-approves it).</param>
/// <param name="Reversible">The journaled before-state is enough to restore what the action changed.</param>
/// <param name="Permissions">Least-privilege Microsoft Graph application permissions (or other plane's role).</param>
/// <param name="DirectoryRole">Entra role the playbook identity also needs, if any.</param>
/// <param name="FromSheet">False for the follow-up steps the playbook adds to the sheet's actions.</param>
public sealed record ActionDescriptor(
    ActionId Id,
    CaseId Case,
    Priority Priority,
    int Order,
    string Title,
    TargetKind Target,
    bool Destructive,
    bool Reversible,
    string Permissions,
    string? DirectoryRole,
    bool FromSheet = true);

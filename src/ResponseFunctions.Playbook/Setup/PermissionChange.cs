namespace ResponseFunctions.Playbook.Setup;

/// <summary>What kind of grant a line of the permission setup is about.</summary>
public enum PermissionKind
{
    GraphApplicationPermission,
    ExchangeApplicationPermission,
    DirectoryRole,
    ApprovalAppRegistration,
}

/// <summary>One grant the playbook identity (or the approval app) needs, and whether it was already in place.</summary>
/// <param name="Name">The permission value, role name, or what of the app registration.</param>
/// <param name="UsedBy">The catalog actions and steps that need it (PermissionManifest consumers).</param>
/// <param name="Changed">True when this run granted it (or, with --plan, would).</param>
public sealed record PermissionChange(PermissionKind Kind, string Name, IReadOnlyList<string> UsedBy, bool Changed);

/// <summary>The outcome of <see cref="PermissionSetup"/>: every grant, what is held beyond them, the approval app.</summary>
/// <param name="Unneeded">Application permissions the identity holds on Graph or Exchange that no action uses (reported, never removed).</param>
/// <param name="ApprovalAppClientId">The approval app's client id; null when --plan and it does not exist yet.</param>
public sealed record PermissionSetupResult(
    IReadOnlyList<PermissionChange> Grants,
    IReadOnlyList<string> Unneeded,
    string? ApprovalAppClientId,
    bool Applied)
{
    public IEnumerable<PermissionChange> Changes => Grants.Where(g => g.Changed);
}

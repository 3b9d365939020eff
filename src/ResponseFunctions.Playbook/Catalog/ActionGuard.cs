namespace ResponseFunctions.Playbook.Catalog;

/// <summary>
/// The tenant guard an action's changes must pass, named once in its catalog row: the change runner checks it when the
/// step is planned and again right before apply, so no action writes its own guard prologue.
/// </summary>
public enum ActionGuard
{
    /// <summary>Tenant-wide settings: no principal is changed (protected accounts are kept out by the action itself).</summary>
    None,

    /// <summary>Never a protected principal (break-glass) nor the playbook's own identity.</summary>
    Principal,

    /// <summary>The principal check, and never the application approvers sign in with.</summary>
    Application,

    /// <summary>Never one of the playbook's protected Azure resources.</summary>
    Resource,

    /// <summary>The principal check, and at least two trusted, enabled Global Administrators remain after the change.</summary>
    GlobalAdministratorLoss,
}

namespace ResponseFunctions.Playbook.Catalog;

/// <summary>What an action works on. A tenant-wide action runs once per containment, the others once per target.</summary>
public enum TargetKind
{
    User,
    Tenant,
    Application,
    AzureResource,
    Mailbox,
}

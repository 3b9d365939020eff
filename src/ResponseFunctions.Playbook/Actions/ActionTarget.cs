using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>What one step works on: a resolved directory object (by object id) or the tenant itself.</summary>
/// <param name="Id">Object id for users and applications, ARM id for resources, the tenant's name for tenant-wide steps.</param>
/// <param name="Name">What a person reads: UPN, display name, resource name.</param>
public sealed record ActionTarget(TargetKind Kind, string Id, string Name)
{
    public static ActionTarget Tenant { get; } = new(TargetKind.Tenant, "tenant", "tenant");

    public override string ToString() => Kind == TargetKind.Tenant ? "tenant" : $"{Name} ({Id})";
}

using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.b — Revoke the credentials the resource holds or can reach. The plan inventories them (managed identities and their
/// role assignments, Key Vault references, storage keys, Functions keys, publishing credentials, VM local administrator and
/// extensions); the platform's own are rotated (storage keys one after the other and user delegation keys, Functions host
/// keys, basic-auth publishing off, Key Vault secrets the policy marks as generated, the VM administrator password when
/// policy allows); everything else becomes a journaled manual task naming where it is used. Only names, versions and
/// SHA-256 fingerprints are ever written: never a value.
/// </summary>
/// <remarks>Handlers: <see cref="StorageAccountCredentials"/>, <see cref="WebAppCredentials"/>, <see cref="VirtualMachineCredentials"/>.</remarks>
public sealed class RevokeResourceCredentials(ArmResources arm, IEnumerable<ICredentialHandler> handlers, ChangeRunner runner)
    : ResourceAction<ICredentialHandler>(arm, handlers, runner)
{
    public override ActionId Id { get; } = ActionId.Parse("3.b");

    // Sheet, 3.b: « Révoquer et renouveler les identifiants compromis ou à risque » … « Confirmer que les anciens identifiants
    // compromis ne peuvent plus être utilisés ».
    protected override string ManualInstruction(string resourceType) =>
        $"renew by hand the access keys, Key Vault secrets and API tokens this {resourceType} uses, update the configurations that use them, "
        + "and confirm the old ones no longer work.";
}

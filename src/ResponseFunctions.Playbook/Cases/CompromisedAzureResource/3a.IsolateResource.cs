using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.a — Isolate the compromised resource, by type as the sheet says: a VM behind a deny-all NSG on every NIC (optionally
/// snapshotted and deallocated), an App Service / Function App and its slots stopped and closed by access restrictions (site
/// and SCM), a storage account closed to public access. Anything else is a manual step with the sheet's instruction. The
/// before-state (previous NSGs, restrictions, network rules) is journaled; after verify, the containment re-checks the
/// resource's security alerts after a delay (<see cref="Orchestration.ContainmentActivities.CheckAlertsAfterIsolationAsync"/>).
/// </summary>
/// <remarks>Handlers: <see cref="VirtualMachineIsolation"/>, <see cref="WebAppIsolation"/>, <see cref="StorageAccountIsolation"/>.</remarks>
public sealed class IsolateResource(ArmResources arm, IEnumerable<IIsolationHandler> handlers, ChangeRunner runner)
    : ResourceAction<IIsolationHandler>(arm, handlers, runner)
{
    public static readonly ActionId ActionId = ActionId.Parse("3.a");

    public override ActionId Id => ActionId;

    // Sheet, 3.a: « Procéder à l'isolation des ressources concernées selon leur type » … « Confirmer la réussite de l'isolation
    // en validant l'absence de nouvelles alertes après l'opération ».
    protected override string ManualInstruction(string resourceType) =>
        $"isolate this {resourceType} by hand, as the sheet says for its type (block its network access with its firewall or "
        + "network rules, or stop it temporarily), then confirm that no new alert (malicious traffic, antivirus/EDR, Defender for Cloud) follows.";
}

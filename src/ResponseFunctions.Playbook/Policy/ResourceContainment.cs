namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// Case 3 settings. The defaults isolate without losing evidence: VMs stay running (their memory is evidence) unless
/// <see cref="DeallocateVirtualMachines"/> says otherwise, and no secret is rotated unless policy names it as generated.
/// </summary>
public sealed class ResourceContainment
{
    /// <summary>Source ranges (CIDR) the isolation keeps open inbound for the investigators, e.g. a jump host. Empty: deny all.</summary>
    public List<string> ForensicSourceRanges { get; set; } = [];

    /// <summary>
    /// ARM ids (or id prefixes: a resource group, a subscription) the playbook never isolates nor rotates: its own Function
    /// app, the storage holding the main courante, the Key Vault of its settings.
    /// </summary>
    public List<string> ProtectedResources { get; set; } = [];

    /// <summary>Resource group that holds the per-region isolation NSGs; empty: the VM's own resource group.</summary>
    public string? IsolationResourceGroup { get; set; }

    /// <summary>3.a: stop and deallocate the VM after isolating its network (loses the volatile memory: take a memory capture first if it matters).</summary>
    public bool DeallocateVirtualMachines { get; set; }

    /// <summary>3.a: snapshot every disk of the VM before anything else changes, for the investigation.</summary>
    public bool SnapshotDisks { get; set; } = true;

    /// <summary>3.b: reset the VM's local administrator password (VMAccess extension). The new password is discarded unseen.</summary>
    public bool ResetVmAdministratorPassword { get; set; }

    /// <summary>
    /// 3.b: Key Vault secrets whose value the organisation generates itself ("{vault}/{secret}"), so the playbook may write a new
    /// random version and disable the older ones. Every other secret the resource reaches becomes a manual task.
    /// </summary>
    public List<string> GeneratedSecrets { get; set; } = [];

    /// <summary>The Log Analytics workspace (its workspace id, a GUID) where Sentinel / Defender for Cloud write SecurityAlert.</summary>
    public string? AlertWorkspaceId { get; set; }

    /// <summary>How long after isolation the alerts are checked again (a durable timer). Default 15 minutes.</summary>
    public TimeSpan AlertRecheckDelay { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsProtected(string resourceId) =>
        ProtectedResources.Any(p => resourceId.Equals(p, StringComparison.OrdinalIgnoreCase)
            || resourceId.StartsWith(p.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));

    public bool IsGenerated(string vault, string secret) =>
        GeneratedSecrets.Contains($"{vault}/{secret}", StringComparer.OrdinalIgnoreCase);
}

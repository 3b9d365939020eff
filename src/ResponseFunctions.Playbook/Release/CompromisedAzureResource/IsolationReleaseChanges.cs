using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>3.a release: put a NIC back behind the NSG it had before the isolation (none when <paramref name="PreviousNsg"/> is null).</summary>
public sealed record RestoreNicSecurityGroup(string ResourceId, string Description, string IsolationNsg, string? PreviousNsg)
    : PlannedChange(ResourceId, Description);

/// <summary>3.a release: delete the deny-all NSG the containment created, once nothing is associated with it.</summary>
public sealed record DeleteIsolationNsg(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>3.a release: start a VM the containment deallocated.</summary>
public sealed record StartVirtualMachine(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>3.a release: start a site or slot the containment stopped.</summary>
public sealed record StartSite(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>3.a release: put a site's (or slot's) access restrictions, site and SCM, back to their journaled before-state.</summary>
public sealed record RestoreSiteAccess(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>3.a release: put one storage account setting (allowBlobPublicAccess, publicNetworkAccess, networkAcls) back to its journaled value.</summary>
public sealed record RestoreStorageSetting(string ResourceId, string Description, string Setting) : PlannedChange(ResourceId, Description);

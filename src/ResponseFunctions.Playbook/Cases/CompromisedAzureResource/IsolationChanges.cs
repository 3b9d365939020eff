using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

// 3.a's planned changes, one record per kind (kinds registered on PlannedChange, named as the verbs journaled before
// they were typed, so 3.a's release finds them by kind). Each carries what its apply needs; nothing is parsed there.

/// <summary>The isolation NSG (<c>resourceId</c>) created in <see cref="Location"/>, or its rules reset to deny all.</summary>
public sealed record EnsureIsolationNsg(string ResourceId, string Description, string Location) : PlannedChange(ResourceId, Description);

/// <summary>A NIC (<c>resourceId</c>) put behind <see cref="IsolationNsg"/>; <see cref="PreviousNsg"/> (null: none) is tagged on it for release.</summary>
public sealed record AssociateIsolationNsg(string ResourceId, string Description, string IsolationNsg, string? PreviousNsg) : PlannedChange(ResourceId, Description);

/// <summary>A copy of the managed disk <see cref="Disk"/> taken as the snapshot <c>resourceId</c>, in <see cref="Location"/>.</summary>
public sealed record SnapshotDisk(string ResourceId, string Description, string Disk, string Location) : PlannedChange(ResourceId, Description);

/// <summary>The VM stopped and deallocated.</summary>
public sealed record DeallocateVm(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>The site (or slot) stopped.</summary>
public sealed record StopSite(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>The site's (or slot's) access restrictions, site and SCM, set to deny all but the policy's forensic ranges.</summary>
public sealed record RestrictSiteAccess(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>The storage account closed: anonymous blob access off, public network access off, firewall default Deny.</summary>
public sealed record CloseStorageAccount(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// Case 3's part of the tenant: Azure resources as ARM returns them (JSON, one object per resource id, child
/// configurations included), the keys the platform holds for them, Key Vault secrets, and the SecurityAlert rows a
/// Log Analytics workspace answers with.
/// </summary>
public sealed class SimAzure
{
    /// <summary>The workspace id (GUID) of the Log Analytics workspace that answers queries.</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>Every resource in ARM's shape: id, name, type, location, kind, identity, tags, properties.</summary>
    public List<JsonObject> Resources { get; set; } = [];

    /// <summary>Keys the platform generates: storage account keys, Functions host keys.</summary>
    public List<SimPlatformKey> Keys { get; set; } = [];

    /// <summary>Azure RBAC role assignments (Microsoft.Authorization/roleAssignments), ARM's shape.</summary>
    public List<JsonObject> RoleAssignments { get; set; } = [];

    public List<SimKeyVault> Vaults { get; set; } = [];

    /// <summary>SecurityAlert rows already in the workspace (timestamps in the scenario are minutes before the drill's start).</summary>
    public List<SimSecurityAlert> SecurityAlerts { get; set; } = [];

    /// <summary>Alerts that keep coming for a resource until it is isolated (a miner keeps mining, a web shell keeps calling).</summary>
    public List<SimAlertFeed> AlertFeeds { get; set; } = [];

    /// <summary>When each resource became isolated in the simulator's eyes (NSG deny-all, site stopped, storage closed).</summary>
    public Dictionary<string, DateTimeOffset> IsolatedAt { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Local administrator password resets received (VMAccess extension): who and when, never the password.</summary>
    public List<SimPasswordReset> PasswordResets { get; set; } = [];

    /// <summary>Storage accounts whose user delegation keys were revoked, and when.</summary>
    public List<SimRevocation> UserDelegationKeyRevocations { get; set; } = [];

    /// <summary>How many polls an asynchronous operation answers InProgress before it ends (a slow long-running operation when raised).</summary>
    public int OperationPolls { get; set; } = 1;

    /// <summary>Asynchronous operations in flight. Not part of the state export.</summary>
    [JsonIgnore]
    public List<SimOperation> Operations { get; } = [];

    /// <summary>When the simulator started: scenario timestamps are relative to it, so they follow the drill's clock.</summary>
    [JsonIgnore]
    public DateTimeOffset ClockOrigin { get; set; }

    public JsonObject? Find(string id) =>
        Resources.FirstOrDefault(r => string.Equals(r["id"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
}

public sealed class SimPlatformKey
{
    public string ResourceId { get; set; } = "";

    /// <summary>"storage" (key1, key2), or a Functions key type: "masterKey", "functionKeys", "systemKeys".</summary>
    public string Kind { get; set; } = "storage";
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset CreationTime { get; set; }
}

public sealed class SimKeyVault
{
    public string Name { get; set; } = "";
    public List<SimSecretVersion> Secrets { get; set; } = [];
}

public sealed class SimSecretVersion
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Value { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public string? ContentType { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }
    public Dictionary<string, string> Tags { get; set; } = [];
}

public sealed class SimSecurityAlert
{
    public string SystemAlertId { get; set; } = "";
    public string AlertName { get; set; } = "";
    public string AlertSeverity { get; set; } = "High";
    public string ProductName { get; set; } = "Microsoft Defender for Cloud";
    public string ResourceId { get; set; } = "";

    /// <summary>Minutes before the simulator's start (scenario files), or an absolute time (<see cref="TimeGenerated"/>) when set.</summary>
    public double MinutesAgo { get; set; }
    public DateTimeOffset? TimeGenerated { get; set; }
}

public sealed class SimAlertFeed
{
    public string ResourceId { get; set; } = "";
    public string AlertName { get; set; } = "";
    public string AlertSeverity { get; set; } = "High";
    public string ProductName { get; set; } = "Microsoft Defender for Cloud";
    public double EveryMinutes { get; set; } = 5;
}

public sealed record SimPasswordReset(string VirtualMachineId, string UserName, DateTimeOffset At);

public sealed record SimRevocation(string ResourceId, DateTimeOffset At);

/// <summary>An asynchronous ARM operation: InProgress for <see cref="PollsLeft"/> more polls, then it runs its completion.</summary>
public sealed class SimOperation
{
    public string Id { get; init; } = "";
    public int PollsLeft { get; set; }
    public string Status { get; set; } = "InProgress";
    public Action<SimAzure>? Complete { get; init; }
}

using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>The ids of the simulated tenant's "compromised-account" scenario.</summary>
internal static class Contoso
{
    public const string Adele = "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01";
    public const string AdeleUpn = "adele.vance@contoso.onmicrosoft.com";
    public const string BreakGlass1 = "b9e1f000-0000-4000-8000-000000000b01";
    public const string BreakGlass2 = "b9e1f000-0000-4000-8000-000000000b02";
    public const string Megan = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e02";
    public const string Alex = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e03";
    public const string LeeSynced = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e04";
    public const string Diego = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e05";
    public const string PlaybookIdentity = "3e5f7a90-2b4c-4d6e-8f01-a2b3c4d5e6f7";
    public const string SecOpsGroup = "4b8d2f6a-3c1e-4a7b-9d5f-6e2c8a1b3d40";
    public const string CorporateHqLocation = "0d5c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b10";

    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string HelpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    public const string ExchangeAdministrator = "29232cdf-9323-42fd-ade2-1d097af3e4de";
    public const string SecurityAdministrator = "194ae4cb-b126-40b2-bd5b-6091b380977d";

    public const string AttackerIp1 = "185.220.101.45";
    public const string AttackerIp2 = "45.155.205.23";
    public const string CorporateIp = "83.166.128.10";

    /// <summary>The policy a Contoso responder would configure: both break-glass accounts protected, the role baseline of the scenario.</summary>
    public static ContainmentPolicy Policy() => new()
    {
        ProtectedPrincipals = [BreakGlass1, BreakGlass2],
        PlaybookIdentityObjectId = PlaybookIdentity,
        RoleBaseline =
        [
            new() { RoleName = "Global Administrator", RoleDefinitionId = GlobalAdministrator, Principals = [BreakGlass1, BreakGlass2, Megan] },
            new() { RoleName = "Privileged Role Administrator", RoleDefinitionId = PrivilegedRoleAdministrator, Principals = [Megan] },
            new() { RoleName = "Helpdesk Administrator", RoleDefinitionId = HelpdeskAdministrator, Principals = [Adele] },
            new() { RoleName = "Exchange Administrator", RoleDefinitionId = ExchangeAdministrator, Principals = [Alex] },
            new() { RoleName = "Security Administrator", RoleDefinitionId = SecurityAdministrator, Principals = [Alex, SecOpsGroup] },
        ],

        // Case 3: the scenarios' Log Analytics workspace, and no wait before the alert re-check (the engine's durable timers run on real time).
        Resources = new ResourceContainment { AlertWorkspaceId = "4f2a9c1e-6b3d-4e8f-9a7c-2d1b0e3f5a6c", AlertRecheckDelay = TimeSpan.Zero },
    };
}

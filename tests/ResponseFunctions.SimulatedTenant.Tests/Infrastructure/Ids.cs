namespace ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

/// <summary>Well-known ids of the compromised-account scenario.</summary>
internal static class Ids
{
    public const string Scenario = "compromised-account";
    public const string UnlicensedScenario = "compromised-account-unlicensed";

    public const string Adele = "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01";
    public const string AdeleUpn = "adele.vance@contoso.onmicrosoft.com";
    public const string BreakGlass01 = "b9e1f000-0000-4000-8000-000000000b01";
    public const string Megan = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e02";
    public const string Alex = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e03";
    public const string Lee = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e04";
    public const string Diego = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e05";

    public const string AdelePassword = "28c10230-6103-485e-b985-444c60001490";
    public const string AdeleMobile = "3179e48a-750b-4051-897c-87b9720928f7";
    public const string AdeleIphone = "6e0e2a1c-7c3b-4f70-9a51-2f6b1c0d7a11";
    public const string AttackerAuthenticator = "9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c22";
    public const string AdeleEmail = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";

    public const string GlobalAdmin = "62e90394-69f5-4237-9190-012177145e10";
    public const string PrivilegedRoleAdmin = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string HelpdeskAdmin = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

    public const string SecOpsGroup = "4b8d2f6a-3c1e-4a7b-9d5f-6e2c8a1b3d40";
    public const string AllStaffGroup = "4b8d2f6a-3c1e-4a7b-9d5f-6e2c8a1b3d41";

    public const string CorporateHq = "0d5c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b10";
    public const string MfaForAdminsPolicy = "1e6d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c20";
}

namespace ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

/// <summary>Well-known ids of the illicit-consent scenario (Case 2).</summary>
internal static class AppIds
{
    public const string Scenario = "illicit-consent";

    public const string GraphSp = "c0ffee00-0000-4000-8000-000000000001";
    public const string DocViewerSp = "d0c0f1e2-0000-4000-8000-00000000d001";
    public const string DocViewerAppId = "d0c0f1e2-7a1b-4c3d-9e8f-0a1b2c3d4e5f";
    public const string PayrollApp = "a1b2c3d4-0000-4000-8000-00000000a001";
    public const string PayrollSp = "a1b2c3d4-0000-4000-8000-00000000a002";
    public const string PayrollAppId = "b7e4c2a1-5d3f-4a6b-8c9d-1e2f3a4b5c6d";

    public const string LegitimateCertificate = "c3e7a9b1-0000-4000-8000-0000000000c1";
    public const string AttackerCertificate = "c3e7a9b1-0000-4000-8000-0000000000c2";
    public const string AttackerAppSecret = "5ec2e7a0-0000-4000-8000-0000000000f1";
    public const string AttackerSpSecret = "5ec2e7a0-0000-4000-8000-0000000000f2";
    public const string AttackerFederatedCredential = "f1c0ffee-0000-4000-8000-0000000000e1";
    public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
}

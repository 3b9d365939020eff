using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>The ids of the simulated tenant's "illicit-consent" scenario (Case 2) and the policy a Contoso responder would configure for it.</summary>
internal static class ContosoApps
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
    public const string DirectoryReaders = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
    public const string AllStaffGroup = "4b8d2f6a-3c1e-4a7b-9d5f-6e2c8a1b3d41";

    /// <summary>Contoso's policy plus the Case 2 baselines: Payroll's legitimate state, Megan reviewing consent requests.</summary>
    public static void Configure(ContainmentPolicy policy)
    {
        policy.RoleBaseline.Add(new RoleBaselineEntry { RoleName = "Directory Readers", RoleDefinitionId = DirectoryReaders, Principals = [PayrollSp] });
        policy.ApplicationBaselines.Add(new ApplicationBaseline
        {
            AppId = PayrollAppId,
            DisplayName = "Contoso Payroll",
            Owners = [Contoso.Diego],
            ScopedRoles = [new RoleBaselineEntry { RoleName = "Cloud Application Administrator", RoleDefinitionId = CloudApplicationAdministrator, Principals = [Contoso.Alex, Contoso.Diego] }],
            Credentials = [LegitimateCertificate],
            AssignedPrincipals = [AllStaffGroup],
            DelegatedPermissions = ["User.Read"],
            ApplicationPermissions = ["User.Read.All"],
        });
        policy.Consent.Reviewers = [Contoso.Megan];
    }

    /// <summary>A Case 2 request naming <paramref name="applications"/> (appIds or service principal ids); both apps by default.</summary>
    public static ContainmentRequest Request(params string[] applications) =>
        new("INC-TEST-2", [CaseId.CompromisedAppIdentity],
            new ContainmentTargets([], [], []) { Applications = applications.Length > 0 ? applications : [DocViewerAppId, PayrollAppId] },
            ContainmentMode.Contain, "test incident: illicit consent", "tester@contoso.onmicrosoft.com");
}

using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Baselines;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Baselines;

public sealed class BaselineCaptureTests
{
    [Fact]
    public async Task Capture_RoleHolders_ActiveAndEligible_AppScopedOnesInTheApplicationBaseline_ReadOnly()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario);

        var baseline = await harness.Services.GetRequiredService<BaselineCapture>().CaptureAsync([ContosoApps.DocViewerAppId], default);

        var globalAdmins = baseline.RoleBaseline.Single(e => e.RoleDefinitionId == Contoso.GlobalAdministrator).Principals;
        Assert.Equal([Contoso.Adele, Contoso.Megan, Contoso.BreakGlass1, Contoso.BreakGlass2], globalAdmins); // Adele: PIM-eligible
        Assert.DoesNotContain(baseline.RoleBaseline, e => e.RoleDefinitionId == ContosoApps.CloudApplicationAdministrator);
        var payroll = baseline.ApplicationBaselines.Single(b => b.AppId == ContosoApps.PayrollAppId);
        Assert.Equal([Contoso.Alex], payroll.ScopedRoles.Single(r => r.RoleDefinitionId == ContosoApps.CloudApplicationAdministrator).Principals);
        Assert.Equal([ContosoApps.LegitimateCertificate, ContosoApps.AttackerCertificate, ContosoApps.AttackerFederatedCredential], payroll.Credentials);
        Assert.Equal(["Mail.Read", "User.Read.All"], payroll.ApplicationPermissions);
        Assert.Contains(baseline.ApplicationBaselines, b => b.AppId == ContosoApps.DocViewerAppId && b.Owners.Count == 0);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Capture_AsPolicy_ThePlaybookFindsTheTenantAsCaptured_ExceptSecretsAndAppScopedRolesFor1f()
    {
        await using var capturing = await PlaybookHarness.StartAsync(ContosoApps.Scenario);
        var captured = await capturing.Services.GetRequiredService<BaselineCapture>().CaptureAsync([], default);
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, p =>
        {
            ContosoApps.Configure(p);
            p.RoleBaseline = captured.RoleBaseline;
            p.ApplicationBaselines = captured.ApplicationBaselines;
        });
        Assert.Empty(ContainmentPolicyValidator.Problems(new ContainmentPolicy { RoleBaseline = captured.RoleBaseline, ApplicationBaselines = captured.ApplicationBaselines }));
        var request = ContosoApps.Request(ContosoApps.PayrollAppId);

        foreach (var action in new[] { "2.b", "2.d", "2.e", "2.f" })
        {
            var plan = await harness.Action(action).PlanAsync(await harness.StepAsync(action, request), default);
            Assert.True(plan.Status == PlanStatus.NothingToDo, $"{action}: {plan.Summary}");
        }

        var credentials = await harness.Action("2.c").PlanAsync(await harness.StepAsync("2.c", request), default);
        Assert.All(credentials.Changes, c => Assert.Equal("remove-secret", c.Kind));

        // App-scoped assignments live in the application baselines, which 1.f does not read: it sees only Adele's
        // Application Administrator scoped to Payroll as outside the role baseline.
        var roles = await harness.Action("1.f").PlanAsync(await harness.StepAsync("1.f"), default);
        Assert.Equal("ra-adele-payroll-appadmin", Assert.Single(roles.Changes).ResourceId);
    }
}

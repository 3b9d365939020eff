using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>Case 2 end to end in the real Durable Task engine (in-process), on the illicit-consent tenant.</summary>
public sealed class AppIdentityContainmentFlowTests
{
    [Fact]
    public async Task Contain_AllApproved_EveryIllegitimateItemGone_LegitimateKept()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);

        var report = await harness.RunAsync(ContosoApps.Request(), ApprovalVerdict.Approve);

        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        Assert.Equal(13, report.Steps.Count);
        Assert.All(report.Steps, s => Assert.True(s.Plan == PlanStatus.NothingToDo || (s.Apply == ApplyOutcome.Applied && s.Verify == VerifyOutcome.Verified), $"{s.Action} {s.Target}"));
        var state = harness.Tenant.State;
        Assert.All(state.Read(m => m.ServicePrincipals.Where(s => s.Id is ContosoApps.DocViewerSp or ContosoApps.PayrollSp).ToList()), s => Assert.False(s.AccountEnabled));
        Assert.Equal(["ara-payroll-allstaff", "ara-payroll-userreadall"], state.Read(m => m.AppRoleAssignments.Select(a => a.Id).Order().ToList()));
        Assert.Equal(["payroll-grant-userread"], state.Read(m => m.OAuth2PermissionGrants.Select(g => g.Id).ToList()));
        var app = state.Read(m => m.Applications.Single());
        Assert.Equal([ContosoApps.LegitimateCertificate], app.KeyCredentials.Select(k => k.KeyId));
        Assert.Empty(app.PasswordCredentials);
        Assert.Empty(app.FederatedIdentityCredentials);
        Assert.Equal([Contoso.Diego], app.Owners);
        var roles = state.Read(m => m.RoleAssignments.Select(a => a.Id).ToList());
        Assert.DoesNotContain("ra-payroll-appadmin", roles);
        Assert.DoesNotContain("ra-adele-payroll-appadmin", roles);
        Assert.Contains("ra-payroll-dirreaders", roles);
        Assert.Contains("ra-alex-payroll-cloudappadmin", roles);
        Assert.Contains("ra-megan-ga", roles);
        Assert.True(state.Read(m => m.AdminConsentRequestPolicy!["isEnabled"]!.GetValue<bool>()));
        Assert.True(state.Read(m => m.ServicePrincipals.Single(s => s.Id == Contoso.PlaybookIdentity).AccountEnabled));
    }

    [Fact]
    public async Task Contain_Twice_SecondRunChangesNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        await harness.RunAsync(ContosoApps.Request(), ApprovalVerdict.Approve);
        harness.Tenant.Requests.Clear();

        var second = await harness.RunAsync(ContosoApps.Request(), ApprovalVerdict.Approve);

        Assert.All(second.Steps, s => Assert.Equal(PlanStatus.NothingToDo, s.Plan));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Contain_DisableRejectedForItsBusinessImpact_TheOtherStepsStillRemoveTheAttackersAccess()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve).On("2.a", ApprovalVerdict.Reject);

        var report = await harness.RunAsync(ContosoApps.Request(ContosoApps.PayrollAppId), approvals);

        Assert.Equal(ApprovalOutcome.Rejected, report.Steps.Single(s => s.Action.Value == "2.a").Approval);
        Assert.True(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == ContosoApps.PayrollSp).AccountEnabled));
        Assert.All(report.Steps.Where(s => s.Action.Value != "2.a"), s => Assert.Equal(ApplyOutcome.Applied, s.Apply));
        Assert.Empty(harness.Tenant.State.Read(m => m.Applications.Single().PasswordCredentials));
    }

    [Fact]
    public async Task Contain_ProtectedServicePrincipal_EveryAppStepRefused_NothingSentForIt()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, p => { ContosoApps.Configure(p); p.ProtectedPrincipals.Add(ContosoApps.PayrollSp); });

        var report = await harness.RunAsync(ContosoApps.Request(ContosoApps.PayrollAppId), ApprovalVerdict.Approve);

        Assert.All(report.Steps.Where(s => s.Target.Id == ContosoApps.PayrollSp), s => Assert.Equal(PlanStatus.Refused, s.Plan));
        Assert.DoesNotContain(harness.Writes(), w => w.PathAndQuery.Contains(ContosoApps.PayrollSp, StringComparison.Ordinal)
                                                     || w.PathAndQuery.Contains(ContosoApps.PayrollApp, StringComparison.Ordinal));
        Assert.Equal(2, harness.Tenant.State.Read(m => m.Applications.Single().KeyCredentials.Count));
    }
}

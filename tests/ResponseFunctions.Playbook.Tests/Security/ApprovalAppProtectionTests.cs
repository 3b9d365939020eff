using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>A containment naming the approval application itself: 2.a, 2.b and 2.f never disable it or change who may approve.</summary>
public sealed class ApprovalAppProtectionTests
{
    [Theory]
    [InlineData("2.a")]
    [InlineData("2.b")]
    [InlineData("2.f")]
    public async Task PlanAndApply_TargetIsTheApprovalApplication_RefusedAndNothingChanged(string action)
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, policy =>
        {
            ContosoApps.Configure(policy);
            policy.ApprovalApplicationId = ContosoApps.DocViewerAppId;
        });
        var step = await harness.StepAsync(action, ContosoApps.Request(ContosoApps.DocViewerAppId));
        var before = harness.Tenant.State.Read(m => System.Text.Json.JsonSerializer.Serialize(m.ServicePrincipals.Single(s => s.Id == ContosoApps.DocViewerSp)));

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var forcedPlan = plan with { Status = PlanStatus.ChangeRequired };
        var applied = await harness.Action(action).ApplyAsync(step, forcedPlan, default);

        Assert.Equal(PlanStatus.Refused, plan.Status);
        Assert.Contains("approvers sign in with", plan.Summary, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Refused, applied.Outcome);
        Assert.Empty(harness.Writes());
        Assert.Equal(before, harness.Tenant.State.Read(m => System.Text.Json.JsonSerializer.Serialize(m.ServicePrincipals.Single(s => s.Id == ContosoApps.DocViewerSp))));
    }
}

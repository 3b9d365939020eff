using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class ResetApplicationCredentialsTests
{
    [Fact]
    public async Task Plan_ListsCredentialsOfBothObjects_JournalsMetadataNeverValues()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Activities.PlanStepAsync(step, default);

        Assert.Equal(
            [ContosoApps.AttackerAppSecret, ContosoApps.AttackerSpSecret, ContosoApps.AttackerCertificate, ContosoApps.AttackerFederatedCredential],
            plan.Changes.Select(c => c.ResourceId).Order(StringComparer.Ordinal));
        Assert.Equal(AppObjectKind.ServicePrincipal, Assert.IsType<RemoveSecret>(plan.Changes.Single(c => c.ResourceId == ContosoApps.AttackerSpSecret)).Object);
        Assert.Contains(plan.Evidence, e => e.Label.Contains(ContosoApps.LegitimateCertificate, StringComparison.Ordinal) && e.Value.Contains("kept", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label.Contains(ContosoApps.AttackerCertificate, StringComparison.Ordinal) && e.Value.Contains("2028-11-20", StringComparison.Ordinal));
        var journaled = JsonSerializer.Serialize(harness.Journal.Entries);
        Assert.DoesNotContain("TUlJQzhE", journaled, StringComparison.Ordinal); // certificate bytes
        Assert.DoesNotContain("Xq7", journaled, StringComparison.Ordinal); // secret hints
        Assert.DoesNotContain("p9L", journaled, StringComparison.Ordinal);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Apply_RemovesTheAttackersCredentials_TheLegitimateCertificateSurvives()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var app = harness.Tenant.State.Read(m => m.Applications.Single());
        Assert.Equal([ContosoApps.LegitimateCertificate], app.KeyCredentials.Select(k => k.KeyId));
        Assert.Empty(app.PasswordCredentials);
        Assert.Empty(app.FederatedIdentityCredentials);
        Assert.Empty(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == ContosoApps.PayrollSp).PasswordCredentials));
        var patch = Assert.Single(harness.Tenant.Requests.Find("PATCH", $"/applications/{ContosoApps.PayrollApp}"));
        Assert.Contains(ContosoApps.LegitimateCertificate, patch.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(ContosoApps.AttackerCertificate, patch.Body, StringComparison.Ordinal);
        Assert.Equal(1, harness.Tenant.Requests.Count("POST", $"/servicePrincipals/{ContosoApps.PayrollSp}/removePassword"));
        Assert.Equal(0, harness.Tenant.Requests.Count("POST", "/removeKey"));
    }

    [Fact]
    public async Task ApplyTwice_SecondSendsNothing_AndThePlanIsNothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.c").PlanAsync(step, default);
        await harness.Action("2.c").ApplyAsync(step, plan, default);
        harness.Tenant.Requests.Clear();

        var again = await harness.Action("2.c").ApplyAsync(step, plan, default);
        var replan = await harness.Action("2.c").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Equal(PlanStatus.NothingToDo, replan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Apply_NoBaseline_RemovesEveryCertificate()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, p => { ContosoApps.Configure(p); p.ApplicationBaselines.Clear(); });
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.c").PlanAsync(step, default);

        var result = await harness.Action("2.c").ApplyAsync(step, plan, default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Empty(harness.Tenant.State.Read(m => m.Applications.Single().KeyCredentials));
        Assert.Contains("\"keyCredentials\":[]", Assert.Single(harness.Tenant.Requests.Find("PATCH", "/applications/")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.PayrollSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "POST", "/removePassword");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.c", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "/removePassword");
    }
}

using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>Nothing applied without a record: the intent and before-state are journaled before the change.</summary>
public sealed class IntentBeforeChangeTests
{
    [Fact]
    public async Task ApplyStep_OutcomeWriteFailsAfterTheChange_IntentWithBeforeStateIsJournaledAndTheRetryKeepsIt()
    {
        FailingOutcomeJournal? failing = null;
        await using var harness = await PlaybookHarness.StartAsync(wrapJournal: inner => failing = new FailingOutcomeJournal(inner));
        var step = await harness.StepAsync("1.c");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        // The first attempt changes the tenant, then the journal write of its outcome fails (the host will retry it).
        await Assert.ThrowsAsync<IOException>(() => harness.Activities.ApplyStepAsync(new StepWork(step, plan), default));

        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        var intent = Assert.Single(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "intent:apply");
        Assert.True(intent.Data!.Value.GetProperty("before").GetProperty("accountEnabled").GetBoolean());
        Assert.DoesNotContain(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome.StartsWith("apply:applied", StringComparison.Ordinal));

        failing!.Healthy = true;
        var retried = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, retried.Outcome);
        Assert.Contains("earlier attempt of this step", retried.Summary, StringComparison.Ordinal);
        Assert.True(retried.Before!.Value.GetProperty("accountEnabled").GetBoolean());
        var outcome = Assert.Single(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "apply:applied");
        Assert.True(outcome.Data!.Value.GetProperty("before").GetProperty("accountEnabled").GetBoolean());
        Assert.Equal(1, harness.Tenant.Requests.Count("PATCH", "/users/"));
        var order = harness.Journal.Entries.Select(e => e.Outcome).Where(o => o.Contains("apply", StringComparison.Ordinal)).ToList();
        Assert.Equal(["intent:apply", "apply:applied"], order);
    }

    /// <summary>A journal whose "apply" outcome writes fail until it is healthy again (storage outage right after a change).</summary>
    private sealed class FailingOutcomeJournal(IJournal inner) : IJournal
    {
        public bool Healthy { get; set; }

        public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken) =>
            !Healthy && entry.Id.EndsWith("/apply", StringComparison.Ordinal)
                ? throw new IOException("Blob storage: append block failed with HTTP 503 ServerBusy.")
                : inner.AppendAsync(entry, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) => inner.ReadAsync(incidentId, cancellationToken);
    }
}

using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release.SpamRelay;

/// <summary>The spam-relay containment, then the release of one of its actions, in the real Durable Task engine (in-process).</summary>
internal static class SpamReleases
{
    public static async Task<(PlaybookHarness Harness, ContainmentReport Contained)> ContainAsync()
    {
        var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        return (harness, await harness.RunAsync(Mailboxes.SpamRelay(), ApprovalVerdict.Approve));
    }

    public static IExchangeOnline Exchange(PlaybookHarness harness) => (IExchangeOnline)harness.Services.GetService(typeof(IExchangeOnline))!;

    public static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, string action, IApprovalChannel approvals)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId,
            new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse(action))]), "false positive", "tester@contoso.onmicrosoft.com"));
    }

    /// <summary>The release's apply entries: (item, original entry id).</summary>
    public static List<(string? Item, string? Original)> Applied(PlaybookHarness harness, ReleaseReport released) =>
        [.. harness.Journal.Entries.Where(e => e.Id.StartsWith(released.InstanceId + "/", StringComparison.Ordinal) && e.Outcome == "apply:applied")
            .Select(e => (e.Data!.Value.GetProperty("item").GetString(), e.Data!.Value.GetProperty("originalEntryId").GetString()))];

    public static string PlanDetail(PlaybookHarness harness, ReleaseReport released, int index) =>
        harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/{index:00}/plan").Detail;
}

/// <summary>Decides each release step by what it changes (its typed change), so items of one action can be decided apart.</summary>
internal sealed class ChangeApprovals(Func<ApprovalRequest, ApprovalVerdict> decide) : IApprovalChannel
{
    public List<ApprovalRequest> Asked { get; } = [];

    public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Asked.Add(request);
        var verdict = decide(request);
        return Task.FromResult<ApprovalDecision?>(new ApprovalDecision(request.RequestId, verdict, "analyst@contoso.onmicrosoft.com", DateTimeOffset.UtcNow, $"scripted {verdict}"));
    }
}

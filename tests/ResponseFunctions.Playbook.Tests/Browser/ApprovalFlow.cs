using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Approval;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// A Case 1 containment started by a Sentinel incident, running in the real Durable Task engine (in-process) against
/// the simulated tenant, its approval page served on loopback over the same sink the Functions host uses (the report
/// from the main courante, decisions raised as external events): what a browser test opens, and what it checks afterwards.
/// </summary>
internal sealed class ApprovalFlow : IAsyncDisposable
{
    public const string IncidentUrl = "https://portal.azure.com/#view/Microsoft_Azure_Security_Insights/IncidentPage.ReactView/incidentArmId/4217";

    private readonly InProcessEngine _engine;

    private ApprovalFlow(PlaybookHarness harness, InProcessEngine engine, IReadOnlyList<ApprovalRequest> pending, ApprovalTokens tokens, ApprovalPageServer server,
        Task<ContainmentReport> run, string instanceId)
    {
        _engine = engine;
        Harness = harness;
        Pending = pending;
        Tokens = tokens;
        Server = server;
        Run = run;
        InstanceId = instanceId;
    }

    public PlaybookHarness Harness { get; }


    public ApprovalTokens Tokens { get; }

    public ApprovalPageServer Server { get; }

    public Task<ContainmentReport> Run { get; }

    public string InstanceId { get; }

    /// <summary>The decisions the containment asked for, as first listed (their request ids never change).</summary>
    public IReadOnlyList<ApprovalRequest> Pending { get; }

    public static async Task<ApprovalFlow> StartAsync()
    {
        // People click at people's speed: a deadline of minutes, not the harness's seconds.
        var harness = await PlaybookHarness.StartAsync(configure: p =>
        {
            p.TwoPersonActions = ["1.e"];
            p.ApprovalTimeout = TimeSpan.FromMinutes(5);
        });
        var engine = await harness.StartEngineAsync();
        var state = new ContainmentState(harness.Journal);
        var sink = new DurableApprovalSink(engine.Client, state);
        var tokens = new ApprovalTokens(ApprovalSamples.Options, TimeProvider.System);
        var page = new ApprovalPage(tokens, new CsrfTokens(ApprovalSamples.Options, TimeProvider.System), new InMemoryTokenLedger(), harness.Journal, TimeProvider.System,
            new ApprovalPageClock(ApprovalSamples.Options.Value.Zone()));
        var server = await ApprovalPageServer.StartAsync(new ApprovalPageEndpoint(page, sink));
        var request = SentinelRequest();
        var instanceId = await engine.StartAsync(request);
        var pending = await PendingAsync(engine, state, instanceId);
        return new ApprovalFlow(harness, engine, pending, tokens, server, engine.WaitForReportAsync(instanceId), instanceId);
    }

    /// <summary>A fresh link, as the Teams card (or the second-approver follow-up) would carry.</summary>
    public Uri LinkFor(params string[] actions) =>
        Server.PageFor(InstanceId, Tokens.Issue(InstanceId, [.. actions.Select(a => RequestOf(a).RequestId)], DateTimeOffset.UtcNow.AddMinutes(30)));

    public Uri ExpiredLinkFor(string action) =>
        Server.PageFor(InstanceId, Tokens.Issue(InstanceId, [RequestOf(action).RequestId], DateTimeOffset.UtcNow.AddMinutes(-1)));

    public ApprovalRequest RequestOf(string action) => Pending.Single(p => p.Action.Value == action);

    public async ValueTask DisposeAsync()
    {
        // Stopping the engine ends a containment still waiting for decisions: the test is over.
        await _engine.DisposeAsync();
        await Server.DisposeAsync();
        await Harness.DisposeAsync();
    }

    /// <summary>Waits until the containment has asked for its decisions (the cards would be posted now), as the page reads them.</summary>
    private static async Task<IReadOnlyList<ApprovalRequest>> PendingAsync(InProcessEngine engine, ContainmentState state, string instanceId)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            if (await engine.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) is { } instance
                && ContainmentStatus(instance) is { PendingCount: > 0 } status && status.PendingCount == status.Pending.Count
                && await state.ReadReportAsync(instance, CancellationToken.None) is { PendingApprovals.Count: > 0 } report
                && report.PendingApprovals.Count == status.PendingCount)
            {
                return report.PendingApprovals;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{instanceId} never asked for its decisions.");
    }

    private static ContainmentStatus? ContainmentStatus(Microsoft.DurableTask.Client.OrchestrationMetadata instance) => ContainmentState.ReadStatus(instance);

    private static ContainmentRequest SentinelRequest()
    {
        var request = PlaybookHarness.Request(incidentId: "SENTINEL-4217");
        var source = new IncidentSource(IncidentSource.Sentinel, "/subscriptions/x/incidents/4217", "4217", "Atypical travel then MFA fatigue on Adele Vance")
        {
            Url = IncidentUrl,
        };
        var triage = new TriageResult(source, [CaseId.CompromisedAccount], request.Targets,
            [
                $"Rule 'Compromised account' matched alert type 'Atypical travel' → case 1.",
                $"Alert 'Atypical travel' names {Contoso.AdeleUpn}: sign-in from {Contoso.AttackerIp1} (RU) 40 minutes after one from Paris.",
            ],
            [])
        {
            Severity = IncidentSeverity.High,
        };
        return request with { Reason = "Microsoft Sentinel 4217 'Atypical travel then MFA fatigue on Adele Vance'", RequestedBy = IncidentSource.Sentinel, Severity = IncidentSeverity.High, Triage = triage };
    }
}

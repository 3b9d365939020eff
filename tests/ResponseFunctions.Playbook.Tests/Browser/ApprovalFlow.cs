using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.LocalEngine;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Approval;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// A Case 1 containment started by a Sentinel incident, running in the local engine against the simulated tenant,
/// its approval page served on loopback: what a browser test opens, and what it checks afterwards.
/// </summary>
internal sealed class ApprovalFlow : IAsyncDisposable
{
    public const string IncidentUrl = "https://portal.azure.com/#view/Microsoft_Azure_Security_Insights/IncidentPage.ReactView/incidentArmId/4217";

    private readonly CancellationTokenSource _stop;

    private ApprovalFlow(PlaybookHarness harness, EngineDecisionSink sink, ApprovalTokens tokens, ApprovalPageServer server, Task<ContainmentReport> run, string instanceId,
        CancellationTokenSource stop)
    {
        _stop = stop;
        Harness = harness;
        Sink = sink;
        Tokens = tokens;
        Server = server;
        Run = run;
        InstanceId = instanceId;
    }

    public PlaybookHarness Harness { get; }

    public EngineDecisionSink Sink { get; }

    public ApprovalTokens Tokens { get; }

    public ApprovalPageServer Server { get; }

    public Task<ContainmentReport> Run { get; }

    public string InstanceId { get; }

    public IReadOnlyList<ApprovalRequest> Pending => Sink.Latest?.PendingApprovals ?? [];

    public static async Task<ApprovalFlow> StartAsync()
    {
        var harness = await PlaybookHarness.StartAsync(configure: p => p.TwoPersonActions = ["1.e"]);
        var sink = new EngineDecisionSink();
        var tokens = new ApprovalTokens(ApprovalSamples.Options, TimeProvider.System);
        var page = new ApprovalPage(tokens, new CsrfTokens(ApprovalSamples.Options, TimeProvider.System), new InMemoryTokenLedger(), harness.Journal, TimeProvider.System,
            new ApprovalPageClock(ApprovalSamples.Options.Value.Zone()));
        var server = await ApprovalPageServer.StartAsync(new ApprovalPageEndpoint(page, sink));
        var request = SentinelRequest();
        var engine = new LocalContainmentEngine(harness.Activities, sink, TimeProvider.System) { RetryDelay = TimeSpan.FromMilliseconds(10) };
        var stop = new CancellationTokenSource();
        var flow = new ApprovalFlow(harness, sink, tokens, server, RunAsync(engine, request, sink, stop.Token), InstanceIds.ForIncident(request.IncidentId), stop);
        await sink.PendingPublished.WaitAsync(TimeSpan.FromMinutes(2));
        return flow;
    }

    /// <summary>A fresh link, as the Teams card (or the second-approver follow-up) would carry.</summary>
    public Uri LinkFor(params string[] actions) =>
        Server.PageFor(InstanceId, Tokens.Issue(InstanceId, [.. actions.Select(a => RequestOf(a).RequestId)], DateTimeOffset.UtcNow.AddMinutes(30)));

    public Uri ExpiredLinkFor(string action) =>
        Server.PageFor(InstanceId, Tokens.Issue(InstanceId, [RequestOf(action).RequestId], DateTimeOffset.UtcNow.AddMinutes(-1)));

    public ApprovalRequest RequestOf(string action) => Pending.Single(p => p.Action.Value == action);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run;
        }
        catch (Exception)
        {
            // Stopped mid-way on purpose: the test is over.
        }

        await Server.DisposeAsync();
        await Harness.DisposeAsync();
        _stop.Dispose();
    }

    private static async Task<ContainmentReport> RunAsync(LocalContainmentEngine engine, ContainmentRequest request, EngineDecisionSink sink, CancellationToken stop)
    {
        try
        {
            return await engine.RunAsync(request, sink, stop);
        }
        finally
        {
            sink.Ended();
        }
    }

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

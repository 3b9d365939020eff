using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;

namespace ResponseFunctions.Playbook.Telemetry;

/// <summary>
/// Spans and metrics of containments, with System.Diagnostics only (the host's OpenTelemetry registration listens to
/// <see cref="SourceName"/>). One trace per containment: every span of a containment, whichever process or retry runs
/// it, has the trace id derived from the containment's instance id, so Application Insights groups them under one
/// operation_Id. Attributes carry ids, names and outcomes: never a secret (no password, key or token ever reaches
/// the activities' inputs, and nothing else is tagged).
/// </summary>
public static class ContainmentTelemetry
{
    public const string SourceName = "ResponseFunctions.Containment";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);

    /// <summary>Seconds from the containment's start (incident intake) to its completion, per containment.</summary>
    public static readonly Histogram<double> TimeToContain = Meter.CreateHistogram<double>(
        "responsefunctions.containment.time_to_contain", unit: "s", description: "From the containment's start to its completion.");

    /// <summary>Steps applied, by action and outcome.</summary>
    public static readonly Counter<long> StepsApplied = Meter.CreateCounter<long>(
        "responsefunctions.containment.steps_applied", unit: "{step}", description: "Containment steps applied, by action and outcome.");

    /// <summary>Approvals requested and not yet decided (this process's count: sum over instances).</summary>
    public static readonly UpDownCounter<long> PendingApprovals = Meter.CreateUpDownCounter<long>(
        "responsefunctions.approvals.pending", unit: "{approval}", description: "Approval requests awaiting a decision.");

    /// <summary>Responses that made a client wait and retry (429, 503, 504...), by plane.</summary>
    public static readonly Counter<long> ThrottlingRetries = Meter.CreateCounter<long>(
        "responsefunctions.throttling.retries", unit: "{retry}", description: "Throttled or unavailable responses retried, by plane.");

    public const string IncidentIdTag = "responsefunctions.incident.id";
    public const string ContainmentIdTag = "responsefunctions.containment.id";
    public const string ActionIdTag = "responsefunctions.action.id";
    public const string TargetTag = "responsefunctions.target";
    public const string OutcomeTag = "responsefunctions.outcome";
    public const string PlaneTag = "responsefunctions.plane";

    /// <summary>
    /// Starts a span of containment <paramref name="instanceId"/>: its parent is the containment's synthetic root,
    /// so every span of that containment shares one trace id.
    /// </summary>
    public static Activity? StartSpan(string name, string instanceId, string incidentId, string? actionId = null, string? target = null, DateTimeOffset startTime = default)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal, ParentOf(instanceId), startTime: startTime);
        activity?.SetTag(IncidentIdTag, incidentId);
        activity?.SetTag(ContainmentIdTag, instanceId);
        if (actionId is not null)
        {
            activity?.SetTag(ActionIdTag, actionId);
        }

        if (target is not null)
        {
            activity?.SetTag(TargetTag, target);
        }

        return activity;
    }

    /// <summary>Sets the outcome attribute and, for a failure, the span status.</summary>
    public static void Outcome(Activity? activity, string outcome, bool failed = false)
    {
        activity?.SetTag(OutcomeTag, outcome);
        if (failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    /// <summary>The trace id of a containment: the first 16 bytes of SHA-256 of its instance id.</summary>
    public static ActivityTraceId TraceIdOf(string instanceId) =>
        ActivityTraceId.CreateFromBytes(SHA256.HashData(Encoding.UTF8.GetBytes("trace:" + instanceId)).AsSpan(0, 16));

    private static ActivityContext ParentOf(string instanceId) =>
        new(TraceIdOf(instanceId),
            ActivitySpanId.CreateFromBytes(SHA256.HashData(Encoding.UTF8.GetBytes("root:" + instanceId)).AsSpan(0, 8)),
            ActivityTraceFlags.Recorded,
            isRemote: true);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Telemetry;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Telemetry;

/// <summary>Alone: the listeners see every containment of the process, and the metric sums must be this one's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>What a containment emits: one trace with a span per step, its metrics, and never a secret.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ContainmentTelemetryTests
{
    [Fact]
    public async Task Containment_EmitsOneTraceWithASpanPerStep_AndItsMetrics_WithoutTheResetPassword()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var incident = $"INC-TELEMETRY-{Guid.NewGuid():N}";
        var instanceId = InstanceIds.ForIncident(incident);
        var spans = new List<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ContainmentTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(tracing);
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ContainmentTelemetry.SourceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(measurements, instrument, value, tags));
        metrics.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(measurements, instrument, value, tags));
        metrics.Start();

        var report = await harness.RunAsync(PlaybookHarness.Request(incidentId: incident), ApprovalVerdict.Approve);

        var ours = spans.Where(s => (string?)s.GetTagItem(ContainmentTelemetry.ContainmentIdTag) == instanceId).ToList();
        Assert.All(ours, s => Assert.Equal(ContainmentTelemetry.TraceIdOf(instanceId), s.TraceId));
        Assert.All(ours, s => Assert.Equal(incident, s.GetTagItem(ContainmentTelemetry.IncidentIdTag)));
        foreach (var step in report.Steps)
        {
            var plan = Assert.Single(ours, s => s.DisplayName == $"plan {step.Action.Value}" && (string?)s.GetTagItem(ContainmentTelemetry.TargetTag) == step.Target.ToString());
            Assert.StartsWith("plan:", (string?)plan.GetTagItem(ContainmentTelemetry.OutcomeTag));
        }

        var applied = report.Steps.Where(s => s.Apply is not null).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Count, ours.Count(s => s.DisplayName.StartsWith("apply ", StringComparison.Ordinal)));
        Assert.Single(ours, s => s.DisplayName == "containment" && (string?)s.GetTagItem(ContainmentTelemetry.OutcomeTag) == "completed");

        Assert.Equal(applied.Count, measurements.Where(m => m.Instrument == "responsefunctions.containment.steps_applied").Sum(m => m.Value));
        var timeToContain = Assert.Single(measurements, m => m.Instrument == "responsefunctions.containment.time_to_contain" && (string?)m.Tags[ContainmentTelemetry.IncidentIdTag] == incident);
        Assert.True(timeToContain.Value >= 0);
        var pending = measurements.Where(m => m.Instrument == "responsefunctions.approvals.pending").ToList();
        Assert.Contains(pending, m => m.Value > 0);
        Assert.Equal(0, pending.Sum(m => m.Value));

        var password = Assert.Single(harness.Passwords.Generated);
        Assert.DoesNotContain(ours.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains(password, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(measurements.SelectMany(m => m.Tags.Values), v => v?.ToString()?.Contains(password, StringComparison.Ordinal) == true);
    }

    private static void Record(List<(string, double, Dictionary<string, object?>)> into, Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (into)
        {
            into.Add((instrument.Name, value, copy));
        }
    }
}

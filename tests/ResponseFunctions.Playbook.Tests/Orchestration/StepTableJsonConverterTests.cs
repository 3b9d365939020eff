using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>
/// Steps travel in the engine's histories as a table (<see cref="StepTableJsonConverter"/>): the same steps come back,
/// every value written once, and histories written before the table still read.
/// </summary>
public sealed class StepTableJsonConverterTests
{
    private static readonly JsonSerializerOptions Wire = InProcessEngine.WorkerWireFormat;

    [Fact]
    public void Batch_ThousandAccountsWritten_ReadBackStepForStepWithOneTargetPerAccount()
    {
        var steps = Steps(users: 1_000);

        var json = JsonSerializer.Serialize(new StepBatch(steps, Parallel: 16), Wire);
        var read = JsonSerializer.Deserialize<StepBatch>(json, Wire)!;

        Assert.Equal(steps.Select(Row), read.Steps.Select(Row));
        Assert.Equal(16, read.Parallel);
        // Read back, one object per target (the accounts and the tenant), not one per step.
        Assert.Equal(steps.Select(s => s.Target).Distinct().Count(), read.Steps.Select(s => s.Target).Distinct(ReferenceEqualityComparer.Instance).Count());
        // Each principal name once, however many steps the account has.
        Assert.Equal(1, CountOf(json, "user-0999@contoso.onmicrosoft.com"));
        Assert.Equal(1, CountOf(json, InstanceIds.ForIncident("INC-SPRAY")));
    }

    [Fact]
    public void Batch_WrittenBeforeTheTable_StillRead()
    {
        var steps = Steps(users: 3);
        var before = $$"""{"steps":{{JsonSerializer.Serialize<IEnumerable<StepContext>>(steps, Wire)}},"parallel":4}""";

        var read = JsonSerializer.Deserialize<StepBatch>(before, Wire)!;

        Assert.Equal(steps.Select(Row), read.Steps.Select(Row));
        Assert.StartsWith("[", JsonSerializer.Serialize<IEnumerable<StepContext>>(steps, Wire), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_RowNamingATargetTheTableLacks_Refused()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(new StepBatch(Steps(users: 1), Parallel: 1), Wire))!;
        var targets = json["Steps"]!["targets"]!.AsArray().Count;
        json["Steps"]!["rows"]![4] = targets;

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StepBatch>(json.ToJsonString(), Wire));
    }

    [Fact]
    public void Batch_NoSteps_ReadBackEmpty()
    {
        var read = JsonSerializer.Deserialize<StepBatch>(JsonSerializer.Serialize(new StepBatch([], Parallel: 1), Wire), Wire)!;

        Assert.Empty(read.Steps);
    }

    /// <summary>What a step is in the history (its incident scope is attached by the activities, never written).</summary>
    private static (string, string, int, ActionId, ActionTarget) Row(StepContext step) => (step.InstanceId, step.IncidentId, step.Index, step.Action, step.Target);

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static IReadOnlyList<StepContext> Steps(int users)
    {
        var targets = Enumerable.Range(0, users).Select(i => new ActionTarget(TargetKind.User, $"00000000-0000-4000-8000-{i:000000000000}", $"user-{i:0000}@contoso.onmicrosoft.com")).ToList();
        var scope = new IncidentScope("INC-SPRAY", "Password spray", DateTimeOffset.UtcNow, targets, ["185.220.101.45/32"], ["RU"]);
        return StepSequence.For(InstanceIds.ForIncident("INC-SPRAY"), [CaseId.CompromisedAccount], scope);
    }
}

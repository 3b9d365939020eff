using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using ResponseFunctions.Intake;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Intake;

public sealed class SentinelIntakeTests
{
    private const string Url = "https://rf.example.net/api/intake/sentinel?code=secret-function-key";

    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly InMemoryJournal _journal = new();
    private readonly List<(ContainmentRequest Request, string InstanceId)> _scheduled = [];

    public SentinelIntakeTests()
    {
        // The client as the task hub behaves: an instance exists once scheduled.
        _client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, input, options, _) => _scheduled.Add(((ContainmentRequest)input!, options!.InstanceId!)))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => o!.InstanceId!);
        _client
            .Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool _, CancellationToken _) => _scheduled.Any(s => s.InstanceId == id)
                ? new OrchestrationMetadata(ContainmentOrchestrator.Name, id) { RuntimeStatus = OrchestrationRuntimeStatus.Running }
                : null);
    }

    private SentinelIntake Function() =>
        new(new IntakeDispatcher(_journal, TimeProvider.System, NullLogger<IntakeDispatcher>.Instance), TriageTable.Default);

    private async Task<HttpResponseData> PostAsync(string sample) =>
        await Function().Run(TestHttpRequest.Post(Url, Sample(sample)), _client.Object, TestFunctionContext.Create());

    [Fact]
    public async Task Run_RecordedIncident_SchedulesCase1ForItsAccountUnderTheIncidentsInstanceId()
    {
        var response = await PostAsync("incident-atypical-travel.json");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (request, instanceId) = Assert.Single(_scheduled);
        Assert.Matches("^containment-sentinel-4187-[0-9a-f]{8}$", instanceId);
        Assert.Equal(InstanceIds.ForIncident(request.IncidentId), instanceId);
        Assert.Equal([CaseId.CompromisedAccount], request.Cases);
        Assert.Equal(ContainmentMode.Contain, request.Mode);
        Assert.Equal(IncidentSeverity.High, request.Severity);
        Assert.Equal(["5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01"], request.Targets.Users);
        Assert.Equal(["185.220.101.45/32", "45.155.205.23/32"], request.Targets.Ips);
        Assert.EndsWith("/Incidents/7e1f0c2a-5b3d-4e8f-9a6c-2d4b1f3e5a70", request.Triage?.Source.SentinelIncidentArmId);
        Assert.Equal("Microsoft Sentinel", request.RequestedBy);
        _client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == ContainmentOrchestrator.Name), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Once);
        var body = response.Json();
        Assert.Equal("started", body.GetProperty("status").GetString());
        Assert.Equal($"https://rf.example.net/api/containments/{instanceId}", response.Header("Location"));
        Assert.Equal(4, body.GetProperty("triage").GetProperty("ignored").GetArrayLength());
        Assert.DoesNotContain("secret-function-key", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SamePayloadTwice_SchedulesOnceAndAnswersDuplicate()
    {
        await PostAsync("incident-atypical-travel.json");
        var second = await PostAsync("incident-atypical-travel.json");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", second.Json().GetProperty("status").GetString());
        Assert.Single(_scheduled);
        Assert.Single(_journal.Entries, e => e.Action == TriageJournal.Duplicate);
    }

    [Fact]
    public async Task Run_IncidentUpdateWithNewAccount_SchedulesNothingAndNamesTheNewTargets()
    {
        await PostAsync("incident-atypical-travel.json");

        var update = await PostAsync("incident-atypical-travel-update.json");

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Single(_scheduled);
        var newTargets = update.Json().GetProperty("newTargets").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("user 7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e02", newTargets);
    }

    [Fact]
    public async Task Run_NotASentinelPayload_Returns400AndSchedulesNothing()
    {
        var response = await Function().Run(TestHttpRequest.Post(Url, """{"incidentId":"INC-1"}"""), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Json().GetProperty("errors").TryGetProperty("$", out _));
        Assert.Empty(_scheduled);
    }

    [Fact]
    public async Task Run_IncidentNoRuleMatches_Answers200NothingToContain()
    {
        var body = Sample("incident-atypical-travel.json")
            .Replace("Atypical travel", "Rare process", StringComparison.Ordinal)
            .Replace("ImpossibleTravel", "RareProcess", StringComparison.Ordinal)
            .Replace("Unfamiliar sign-in properties", "Rare process", StringComparison.Ordinal);

        var response = await Function().Run(TestHttpRequest.Post(Url, body), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nothingToContain", response.Json().GetProperty("status").GetString());
        Assert.Empty(_scheduled);
    }

    private static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "sentinel", name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException(name);
    }
}

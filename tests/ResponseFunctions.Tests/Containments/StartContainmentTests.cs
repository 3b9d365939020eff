using System.Net;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using ResponseFunctions.Containments;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Containments;

public sealed class StartContainmentTests
{
    private const string Url = "https://rf.example.net/api/containments?code=secret-function-key";

    private const string ValidBody = """
        {"incidentId":"INC-42","cases":["1"],"mode":"plan","reason":"Phished credentials","targets":{"users":["alice@contoso.com"]}}
        """;

    private readonly Mock<DurableTaskClient> _client = new("test");

    [Fact]
    public async Task Run_InvalidTarget_Returns400ProblemNamingTheFieldAndSchedulesNothing()
    {
        const string body = """
            {"incidentId":"INC-42","cases":["1"],"mode":"plan","reason":"x","targets":{"users":["alice@contoso.com"],"ips":["999.1.1.1"]}}
            """;

        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(Url, body), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        var problem = response.Json();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("targets.ips[0]", out var messages));
        Assert.NotEmpty(messages.EnumerateArray());
        VerifyNothingScheduled();
    }

    [Fact]
    public async Task Run_NotJson_Returns400AndSchedulesNothing()
    {
        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(Url, "{ nope"), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Json().GetProperty("errors").TryGetProperty("$", out _));
        VerifyNothingScheduled();
    }

    [Fact]
    public async Task Run_IncidentAlreadyContained_Returns409AndSchedulesNothing()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Running));

        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(Url, ValidBody), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = response.Json();
        Assert.Equal("https://rf.example.net/api/containments/containment-inc-42", problem.GetProperty("statusUri").GetString());
        Assert.Contains(Samples.InstanceId, problem.GetProperty("detail").GetString());
        VerifyNothingScheduled();
    }

    [Fact]
    public async Task Run_ValidRequest_SchedulesOnceUnderTheIncidentsInstanceIdAndReturns202()
    {
        ContainmentRequest? scheduled = null;
        StartOrchestrationOptions? options = null;
        _client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, input, o, _) => (scheduled, options) = (input as ContainmentRequest, o))
            .ReturnsAsync(Samples.InstanceId);

        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(Url, ValidBody), _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        _client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(
                It.Is<TaskName>(n => n.Name == ContainmentOrchestrator.Name), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Once);
        Assert.Equal("containment-inc-42", options?.InstanceId);
        Assert.Equal("INC-42", scheduled?.IncidentId);
        Assert.Equal("analyst (function key)", scheduled?.RequestedBy);
        Assert.Equal("https://rf.example.net/api/containments/containment-inc-42", response.Header("Location"));
        var body = response.Json();
        Assert.Equal("containment-inc-42", body.GetProperty("id").GetString());
        Assert.Equal("INC-42", body.GetProperty("incidentId").GetString());
        Assert.Equal("plan", body.GetProperty("mode").GetString());
        Assert.False(body.TryGetProperty("approvalsUri", out _)); // nothing serves such a list: decisions are listed at statusUri
        Assert.DoesNotContain("secret-function-key", body.GetRawText());
    }

    [Fact]
    public async Task Run_PrincipalNameHeaderOnTheFunctionKeyRoute_RequesterIsTheFunctionKeyNotThatName()
    {
        ContainmentRequest? scheduled = null;
        _client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, input, _, _) => scheduled = input as ContainmentRequest)
            .ReturnsAsync(Samples.InstanceId);

        await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(Url, ValidBody, principal: "carol@contoso.com"), _client.Object, TestFunctionContext.Create());

        Assert.Equal(ApprovalDecision.FunctionKeyIdentity, scheduled?.RequestedBy);
    }

    private void VerifyNothingScheduled() =>
        _client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Never);
}

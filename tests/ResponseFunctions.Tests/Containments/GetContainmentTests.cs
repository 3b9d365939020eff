using System.Net;
using System.Text;
using System.Web;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Moq;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Containments;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Containments;

public sealed class GetContainmentTests
{
    private const string Url = "https://rf.example.net/api/containments/containment-inc-42";
    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly ApprovalTokens _tokens;
    private readonly ApprovalLinks _links;

    public GetContainmentTests()
    {
        var options = Options.Create(new ApprovalOptions
        {
            SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("host-test-signing-key-of-32-bytes-or-more")),
            PageBaseUrl = new Uri("https://rf.example.net"),
        });
        _tokens = new ApprovalTokens(options, new SampleTime());
        _links = new ApprovalLinks(_tokens, options);
    }

    [Fact]
    public async Task Run_UnknownContainment_Returns404Problem()
    {
        var response = await new GetContainment(Samples.State(Samples.Report()), _links).Run(TestHttpRequest.Get(Url), "containment-nope", _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(404, response.Json().GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Run_RunningContainment_ReturnsReportAndPendingApprovalsWithTheirLinks()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Running, Samples.Report(Samples.Approval("01-1a"))));

        var response = await new GetContainment(Samples.State(Samples.Report(Samples.Approval("01-1a"))), _links).Run(
            TestHttpRequest.Get(Url), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = response.Json();
        Assert.Equal("running", body.GetProperty("runtimeStatus").GetString());
        Assert.Equal("containing", body.GetProperty("report").GetProperty("phase").GetString());
        var pending = Assert.Single(body.GetProperty("pendingApprovals").EnumerateArray());
        Assert.Equal("01-1a", pending.GetProperty("requestId").GetString());
        Assert.Equal($"{Url}/approvals/01-1a", pending.GetProperty("decisionUri").GetString());
        // A Teams card can be lost after the webhook's 202: this endpoint always carries the approval page link itself.
        var page = new Uri(pending.GetProperty("approvalPage").GetString()!);
        Assert.Equal($"/api/containments/{Samples.InstanceId}/approve", page.AbsolutePath);
        Assert.Equal(TokenStatus.Valid, _tokens.Validate(HttpUtility.ParseQueryString(page.Query)["token"], Samples.InstanceId, ["01-1a"]).Status);
        Assert.False(body.TryGetProperty("failure", out _));
    }

    [Fact]
    public async Task Run_FailedContainment_ReportsTheFailureMessageOnly()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(ContainmentOrchestrator.Name, Samples.InstanceId)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Failed,
                SerializedCustomStatus = JsonSerializer.Serialize(Samples.StatusOf(Samples.Report())),
                FailureDetails = new TaskFailureDetails("System.InvalidOperationException", "Replay diverged.", "   at Secret.Stack()", null, null),
            });

        var response = await new GetContainment(Samples.State(Samples.Report()), _links).Run(TestHttpRequest.Get(Url), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        var body = response.Json();
        Assert.Equal("Replay diverged.", body.GetProperty("failure").GetString());
        Assert.DoesNotContain("Secret.Stack", body.GetRawText());
    }

    private sealed class SampleTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(Samples.Now);
    }
}

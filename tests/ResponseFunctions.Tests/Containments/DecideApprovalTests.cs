using System.Net;
using Microsoft.DurableTask.Client;
using Moq;
using ResponseFunctions.Containments;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Containments;

public sealed class DecideApprovalTests
{
    private const string Url = "https://rf.example.net/api/containments/containment-inc-42/approvals/01-1a";
    private static readonly DateTimeOffset DecidedAt = new(2025, 3, 14, 9, 45, 0, TimeSpan.Zero);

    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly DecideApproval _function = new(new FixedTime(DecidedAt), Samples.State(Samples.Report(Samples.Approval("01-1a"))));

    public DecideApprovalTests()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Running, Samples.Report(Samples.Approval("01-1a"))));
    }

    [Fact]
    public async Task Run_PendingRequest_RaisesTheDecisionAsTheFunctionKeysOwnIdentity()
    {
        ApprovalDecision? raised = null;
        _client
            .Setup(c => c.RaiseEventAsync(Samples.InstanceId, "approval:01-1a", It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised = payload as ApprovalDecision)
            .Returns(Task.CompletedTask);

        var response = await Decide("01-1a", """{"decision":"approve","comment":"Confirmed with the user."}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        _client.Verify(c => c.RaiseEventAsync(Samples.InstanceId, "approval:01-1a", It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(new ApprovalDecision("01-1a", ApprovalVerdict.Approve, ApprovalDecision.FunctionKeyIdentity, DecidedAt, "Confirmed with the user.")
        {
            DecidedById = ApprovalDecision.FunctionKeyIdentity,
        }, raised);
        Assert.False(raised!.IsSignedInPerson);
    }

    [Fact]
    public async Task Run_ApproverNameInTheBody_400AndNothingRaised()
    {
        var response = await Decide("01-1a", """{"decision":"approve","approver":"ciso@contoso.com"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Json().GetProperty("errors").TryGetProperty("approver", out _));
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_ForgedPrincipalNameHeader_StillRecordedAsTheFunctionKeyNeverAsThatName()
    {
        ApprovalDecision? raised = null;
        _client
            .Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised = payload as ApprovalDecision)
            .Returns(Task.CompletedTask);

        await Decide("01-1a", """{"decision":"reject"}""", principal: "ciso@contoso.com");

        Assert.Equal(ApprovalDecision.FunctionKeyIdentity, raised?.DecidedBy);
        Assert.Equal(ApprovalDecision.FunctionKeyIdentity, raised?.DecidedById);
    }

    [Fact]
    public async Task Run_ApproveATwoPersonStepWithAFunctionKey_403AndNothingRaised()
    {
        var twoPerson = Samples.Report(Samples.Approval("01-1a") with { RequiredApprovals = 2 });
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Running, twoPerson));

        var response = await Decide("01-1a", """{"decision":"approve"}""", principal: "ciso@contoso.com", function: new(new FixedTime(DecidedAt), Samples.State(twoPerson)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_UnknownRequest_Returns404AndRaisesNothing()
    {
        var response = await Decide("07-1f", """{"decision":"approve"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_UnknownContainment_Returns404AndRaisesNothing()
    {
        var response = await _function.Run(
            TestHttpRequest.Post("https://rf.example.net/api/containments/containment-nope/approvals/01-1a", """{"decision":"approve"}"""),
            "containment-nope", "01-1a", _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        VerifyNothingRaised();
    }

    [Theory]
    [InlineData("""{"decision":"maybe"}""", "decision")]
    [InlineData("""{"comment":"ok"}""", "decision")]
    [InlineData("""{"decision":"approve","comment":42}""", "comment")]
    [InlineData("""{"decision":"approve","verdict":"yes"}""", "verdict")]
    [InlineData("""{"decision":"reject","decision":"approve"}""", "$")]
    [InlineData("not json", "$")]
    public async Task Run_BadBody_Returns400NamingTheField(string body, string field)
    {
        var response = await Decide("01-1a", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Json().GetProperty("errors").TryGetProperty(field, out _));
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_FinishedContainment_Returns409AndRaisesNothing()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Completed, Samples.Report(Samples.Approval("01-1a"))));

        var response = await Decide("01-1a", """{"decision":"approve"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        VerifyNothingRaised();
    }

    private Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> Decide(string requestId, string body, string? principal = null, DecideApproval? function = null) =>
        (function ?? _function).Run(
            TestHttpRequest.Post($"https://rf.example.net/api/containments/{Samples.InstanceId}/approvals/{requestId}", body, principal),
            Samples.InstanceId, requestId, _client.Object, TestFunctionContext.Create());

    private void VerifyNothingRaised() =>
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

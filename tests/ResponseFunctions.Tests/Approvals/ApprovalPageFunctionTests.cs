using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using ResponseFunctions.Approvals;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Approvals;

public sealed partial class ApprovalPageFunctionTests
{
    private const string Oid = "11111111-1111-1111-1111-111111111111";
    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly ApprovalPageFunction _function;
    private readonly ApprovalTokens _tokens;
    private readonly ServiceProvider _services;
    private readonly TestEntra _entra = new();

    public ApprovalPageFunctionTests()
    {
        var options = Options.Create(new ApprovalOptions
        {
            SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("host-test-signing-key-of-32-bytes-or-more")),
            PageBaseUrl = new Uri("https://rf.example.net"),
        });
        _services = new ServiceCollection()
            .AddSingleton(options)
            .AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(Samples.Now)))
            .AddSingleton<IJournal, InMemoryJournal>()
            .AddSingleton<IApprovalTokenLedger, InMemoryTokenLedger>()
            .AddApprovalPage()
            .BuildServiceProvider();
        _tokens = _services.GetRequiredService<ApprovalTokens>();
        _function = new ApprovalPageFunction(_services, _entra.Authentication(), Samples.State(Samples.Report(Samples.Approval("01-1a"))));
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Running, Samples.Report(Samples.Approval("01-1a"))));
    }

    [Fact]
    public async Task Run_NoPrincipalAndNoGenuineLink_401AndTheContainmentIsNotRead()
    {
        var request = new TestHttpRequest("GET", Url("forged-token"), null,
            new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL-NAME"] = "bob@contoso.com" });

        var response = await _function.Run(request, Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        _client.Verify(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Run_ForgedPrincipalHeadersWithPlatformAuthenticationOff_503JournaledAndNothingDecided()
    {
        var function = new ApprovalPageFunction(_services, _entra.Authentication(platformAuthenticationEnabled: false), Samples.State(Samples.Report(Samples.Approval("01-1a"))));
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));
        var form = $"token={Uri.EscapeDataString(token)}&csrf=x&decision%3A01-1a=approve";

        var response = await function.Run(new TestHttpRequest("POST", Url(token), form, SignedIn()), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        VerifyNothingRaised();
        var refusal = Assert.Single(await _services.GetRequiredService<IJournal>().ReadAsync(Samples.IncidentId, CancellationToken.None));
        Assert.Equal("approval:refused-503", refusal.Outcome);
        Assert.Contains("WEBSITE_AUTH_ENABLED", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ForgedPrincipalHeadersWithoutTheForwardedEntraToken_401AndNothingDecided()
    {
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));

        var response = await _function.Run(new TestHttpRequest("GET", Url(token), null, ForgedHeaders()), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("csrf", Body(response), StringComparison.Ordinal);
        VerifyNothingRaised();
    }

    [Theory]
    [InlineData("audience")]
    [InlineData("signature")]
    [InlineData("expired")]
    [InlineData("principal-id")]
    public async Task Run_ForwardedTokenThatDoesNotValidate_401AndNothingDecided(string defect)
    {
        var headers = ForgedHeaders();
        headers[ApproverAuthentication.IdTokenHeader] = defect switch
        {
            "audience" => _entra.IdToken(Oid, "bob@contoso.com", [ApprovalOptions.ApproverRole], audience: "another-app"),
            "signature" => _entra.IdToken(Oid, "bob@contoso.com", [ApprovalOptions.ApproverRole], signedWith: new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048))),
            "expired" => _entra.IdToken(Oid, "bob@contoso.com", [ApprovalOptions.ApproverRole], expires: DateTime.UtcNow.AddHours(-1)),
            _ => _entra.IdToken("22222222-2222-2222-2222-222222222222", "mallory@contoso.com", [ApprovalOptions.ApproverRole]),
        };
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));

        var response = await _function.Run(new TestHttpRequest("GET", Url(token), null, headers), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_LocalDevelopmentModeOnAppService_503()
    {
        var function = new ApprovalPageFunction(_services, _entra.Authentication(mode: ResponseFunctions.Http.ApproverAuthenticationMode.LocalDevelopment, onAppService: true), Samples.State(Samples.Report(Samples.Approval("01-1a"))));
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));

        var response = await function.Run(new TestHttpRequest("GET", Url(token), null, ForgedHeaders()), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        VerifyNothingRaised();
    }

    [Fact]
    public async Task Run_GetThenPost_RaisesTheApproversDecisionToTheOrchestration()
    {
        ApprovalDecision? raised = null;
        _client
            .Setup(c => c.RaiseEventAsync(Samples.InstanceId, "approval:01-1a", It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised = payload as ApprovalDecision)
            .Returns(Task.CompletedTask);
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));

        var page = await _function.Run(new TestHttpRequest("GET", Url(token), null, SignedIn()), Samples.InstanceId, _client.Object, TestFunctionContext.Create());
        var html = Body(page);
        var csrf = CsrfValue().Match(html).Groups[1].Value;
        var form = $"token={Uri.EscapeDataString(token)}&csrf={Uri.EscapeDataString(csrf)}&decision%3A01-1a=approve&comment=ok";
        var posted = await _function.Run(new TestHttpRequest("POST", Url(token), form, SignedIn()), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Header("Referrer-Policy"));
        Assert.StartsWith("text/html", page.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(ApprovalVerdict.Approve, raised?.Verdict);
        Assert.Equal("bob@contoso.com", raised?.DecidedBy);
        Assert.Equal(Oid, raised?.DecidedById);
    }

    [Fact]
    public async Task Run_FrenchBrowser_FrenchPageUnderTheStrictHeaders()
    {
        var token = _tokens.Issue(Samples.InstanceId, ["01-1a"], new DateTimeOffset(Samples.Now.AddMinutes(30)));
        var headers = SignedIn();
        headers["Accept-Language"] = "fr-FR,fr;q=0.9";

        var page = await _function.Run(new TestHttpRequest("GET", Url(token), null, headers), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.StartsWith("<!DOCTYPE html><html lang=\"fr\">", Body(page), StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none';", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("no-store", page.Header("Cache-Control"));
    }

    private void VerifyNothingRaised() =>
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);

    private static string Url(string token) => $"https://rf.example.net/api/containments/{Samples.InstanceId}/approve?token={Uri.EscapeDataString(token)}";

    private Dictionary<string, string> SignedIn() => new(ForgedHeaders())
    {
        [ApproverAuthentication.IdTokenHeader] = _entra.IdToken(Oid, "bob@contoso.com", [ApprovalOptions.ApproverRole]),
    };

    /// <summary>The principal headers alone: what anyone can send when App Service Authentication does not strip them.</summary>
    private static Dictionary<string, string> ForgedHeaders() => new()
    {
        ["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            claims = new[]
            {
                new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = Oid },
                new { typ = "roles", val = ApprovalOptions.ApproverRole },
            },
            name_typ = "preferred_username",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        })),
        ["X-MS-CLIENT-PRINCIPAL-ID"] = Oid,
        ["X-MS-CLIENT-PRINCIPAL-NAME"] = "bob@contoso.com",
    };

    private static string Body(Microsoft.Azure.Functions.Worker.Http.HttpResponseData response)
    {
        response.Body.Position = 0;
        return new StreamReader(response.Body).ReadToEnd();
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfValue();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Exchange;

/// <summary>The Exchange admin API client over HTTP against the simulated InvokeCommand plane.</summary>
public sealed class ExchangeOnlineClientTests
{
    private const string InvokeCommand = "/InvokeCommand";

    [Fact]
    public async Task Invoke_MoreObjectsThanAPage_RePostsTheSameBodyToEachNextLink()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        tenant.State.Mutate(m => m.Exchange.MaxPageSize = 1);
        var (client, _) = Client(tenant);

        var rules = await client.InvokeAsync(ExchangeCommand.For("Get-InboxRule").AnchoredTo(Mailboxes.Adele).With("Mailbox", Mailboxes.Adele).Switch("IncludeHidden"), default);

        Assert.Equal(4, rules.Count);
        var posts = tenant.Requests.Snapshot().Where(r => r.PathAndQuery.Contains(InvokeCommand, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, posts.Count);
        Assert.Single(posts.Select(p => p.Body).Distinct());
        Assert.Equal(["", "$skiptoken=1", "$skiptoken=2", "$skiptoken=3"], posts.Select(p => p.PathAndQuery.Split('?').ElementAtOrDefault(1) ?? ""));
    }

    [Fact]
    public async Task Invoke_AddRemoveParameter_SendsATaggedGenericHashTable()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        var (client, _) = Client(tenant);

        await client.InvokeAsync(ExchangeCommand.For("Set-Mailbox").AnchoredTo(Mailboxes.Adele).With("Identity", Mailboxes.Adele)
            .Modify("GrantSendOnBehalfTo", remove: [Mailboxes.Megan]), default);

        var body = JsonDocument.Parse(tenant.Requests.Snapshot().Single().Body!).RootElement.GetProperty("CmdletInput");
        var table = body.GetProperty("Parameters").GetProperty("GrantSendOnBehalfTo");
        Assert.Equal("#Exchange.GenericHashTable", table.GetProperty("@odata.type").GetString());
        Assert.Equal([Mailboxes.Megan], table.GetProperty("Remove").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == "adele.vance")["GrantSendOnBehalfTo"]!.AsArray().ToList()));
    }

    [Fact]
    public async Task Invoke_SetThatChangesNothing_ReturnsTheWarningAsASuccess()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        var (client, _) = Client(tenant);

        var result = await client.InvokeAsync(ExchangeCommand.For("Set-CASMailbox").AnchoredTo(Mailboxes.Megan).With("Identity", Mailboxes.Megan).With("PopEnabled", false), default);

        Assert.True(result.ChangedNothing);
        Assert.Contains(result.Warnings, w => w.Contains("no settings of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_ThrottledTwiceThenServed_WaitsWhatRetryAfterSaysAndSucceeds()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        tenant.Faults.Add(new FaultRule("POST", InvokeCommand, 429, RetryAfter: TimeSpan.FromSeconds(7), Times: 2));
        var (client, waits) = Client(tenant);

        var mailboxes = await client.InvokeAsync(ExchangeCommand.For("Get-Mailbox"), default);

        Assert.Equal(4, mailboxes.Count);
        // The wait runs to the instant the shared limiter set (Retry-After from the 429), less the moments spent since.
        Assert.Equal(2, waits.Waits.Count);
        Assert.All(waits.Waits, w => Assert.InRange(w, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(7)));
        Assert.Equal([429, 429, 200], tenant.Requests.Snapshot().Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Invoke_TooManyConcurrentRequestsInPlainText_IsRetried()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        tenant.State.Mutate(m => m.Exchange.ConcurrencyRejections = 1);
        var (client, waits) = Client(tenant);

        var config = await client.InvokeAsync(ExchangeCommand.For("Get-TransportConfig"), default);

        Assert.Single(config);
        Assert.InRange(Assert.Single(waits.Waits), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Invoke_ThrottledBeyondTheAttempts_ThrowsATransientErrorTheActivitiesRetry()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        tenant.Faults.Add(new FaultRule("POST", InvokeCommand, 429, RetryAfter: TimeSpan.FromSeconds(1), Times: 10));
        var (client, _) = Client(tenant);

        var error = await Assert.ThrowsAsync<ExchangeCommandException>(() => client.InvokeAsync(ExchangeCommand.For("Get-Mailbox"), default));

        Assert.True(error.IsTransient);
        Assert.Equal(4, tenant.Requests.Count("POST", InvokeCommand));
        Assert.Equal(ErrorKind.Throttled, GraphErrors.Classify(error)!.Kind);
    }

    [Fact]
    public async Task Invoke_UnknownMailbox_ReadsTheErrorCodeTheExceptionTypeAndTheMessageInThatOrder()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        var (client, _) = Client(tenant);

        var error = await Assert.ThrowsAsync<ExchangeCommandException>(() => client.InvokeAsync(ExchangeCommand.For("Get-Mailbox").With("Identity", "nobody@contoso.com"), default));

        Assert.Equal("Get-Mailbox", error.CmdletName);
        Assert.True(error.IsNotFound);
        // Source: the detail is "ErrorCode|ExceptionType|Message" (GreyCorbel/ExoHelper Get-ExoException.ps1).
        Assert.Equal("Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException", error.ErrorType);
        Assert.Equal("Ex6F9304", error.ErrorCode);
        Assert.Equal("exchange:Get-Mailbox:ManagementObjectNotFoundException", error.ToErrorInfo().Code);
        Assert.Contains("nobody@contoso.com", error.Detail, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.NotFound, GraphErrors.Classify(error)!.Kind);
        Assert.False(error.IsTransient);
    }

    // Source: "Find the permissions required to run any Exchange cmdlet" (learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions):
    // the cmdlets a caller can run are those its RBAC roles grant; one it is not granted is not there at all, and
    // PowerShell says so with CommandNotFoundException ("The term '…' is not recognized"), whose name holds "NotFound".
    [Fact]
    public async Task Classify_CmdletNotOfferedToTheCaller_IsAPermanentForbiddenFailure_NeverAnAlreadyDoneChange()
    {
        var error = new ExchangeCommandException("Set-HostedOutboundSpamFilterPolicy", 400, "System.Management.Automation.CommandNotFoundException", "Ex9C0D11",
            "The term 'Set-HostedOutboundSpamFilterPolicy' is not recognized as a name of a cmdlet.", isTransient: false);
        var change = new MoreChanges("stands for any change");

        var result = await ChangeRunner.RunAsync(change, () => throw error);

        Assert.False(error.IsNotFound);
        Assert.Equal(ErrorKind.Forbidden, GraphErrors.Classify(error)!.Kind);
        Assert.False(GraphErrors.IsTransient(GraphErrors.Classify(error)!));
        Assert.Equal(ChangeOutcome.Failed, result.Outcome);
    }

    [Fact]
    public async Task Invoke_ValueFromAnAlertWithQuotesAndSeparators_TravelsAsOneJsonString()
    {
        await using var tenant = await Tenant.StartInProcessAsync("bec");
        var (client, _) = Client(tenant);
        const string hostile = "x\"; Remove-Mailbox -Identity * ; \"\n{\"CmdletName\":\"Remove-Mailbox\"}";

        await Assert.ThrowsAsync<ExchangeCommandException>(() => client.InvokeAsync(ExchangeCommand.For("Get-Mailbox").With("Identity", hostile), default));

        var input = JsonDocument.Parse(tenant.Requests.Snapshot().Single().Body!).RootElement.GetProperty("CmdletInput");
        Assert.Equal("Get-Mailbox", input.GetProperty("CmdletName").GetString());
        Assert.Equal(hostile, input.GetProperty("Parameters").GetProperty("Identity").GetString());
        Assert.Throws<ArgumentException>(() => ExchangeCommand.For("Get-Mailbox").With("Identity\"", "x"));
        Assert.Throws<ArgumentException>(() => ExchangeCommand.For("Get-Mailbox").AnchoredTo("a@b.c\r\nX-Injected: 1"));
    }

    [Fact]
    public async Task Invoke_NotConfigured_FailsWithAClearReason()
    {
        var error = await Assert.ThrowsAsync<ExchangeCommandException>(() => new UnconfiguredExchangeOnline().InvokeAsync(ExchangeCommand.For("Get-Mailbox"), default));

        Assert.Contains("Exchange:TenantId", error.Message, StringComparison.Ordinal);
    }

    private static (ExchangeOnlineClient Client, InstantTimeProvider Waits) Client(Tenant tenant)
    {
        var waits = new InstantTimeProvider();
        return (new ExchangeOnlineClient(new HttpClient(tenant.CreateHandler()), new LoopbackCredential(), ExchangeOnlineSimulation.Options(tenant), waits), waits);
    }
}

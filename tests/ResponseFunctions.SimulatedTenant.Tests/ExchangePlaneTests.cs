using System.Net;
using System.Text;
using System.Text.Json;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>The simulated Exchange admin API refuses what the real one refuses, in Exchange's own error shape.</summary>
public sealed class ExchangePlaneTests
{
    private const string TenantId = "8c3f2b1e-4d5a-4e8b-9c1d-2f3a4b5c6d7e";

    [Theory]
    [InlineData("""{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identiti":"adele.vance"}}}""", "A parameter cannot be found that matches parameter name 'Identiti'")]
    [InlineData("""{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"adele.vance","GrantSendOnBehalfTo":{"Remove":["x"]}}}}""", "Exchange.GenericHashTable")]
    [InlineData("""{"CmdletInput":{"CmdletName":"Remove-Mailbox","Parameters":{"Identity":"adele.vance"}}}""", "is not recognized")]
    public async Task InvokeCommand_UnbindableInput_Returns400WithTypeCategoryMessageDetail(string body, string expected)
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("bec");
        using var http = GraphTestClient.CreateRaw(tenant);
        http.DefaultRequestHeaders.Add("X-AnchorMailbox", $"APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{TenantId}");

        using var response = await http.PostAsync($"adminapi/beta/{TenantId}/InvokeCommand", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = json.RootElement.GetProperty("error").GetProperty("details")[0].GetProperty("message").GetString()!;
        Assert.Equal(3, detail.Split('|').Length);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultForOneCmdlet_OtherCmdletsOnTheSameUrl_AreNotHit()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("bec");
        tenant.Faults.Add(FaultRule.ForCmdlet("Set-Mailbox", statusCode: 403));
        using var http = GraphTestClient.CreateRaw(tenant);
        http.DefaultRequestHeaders.Add("X-AnchorMailbox", $"APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{TenantId}");
        var url = $"adminapi/beta/{TenantId}/InvokeCommand";

        using var read = await http.PostAsync(url, new StringContent("""{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"adele.vance"}}}""", Encoding.UTF8, "application/json"));
        using var write = await http.PostAsync(url, new StringContent("""{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"adele.vance","DeliverToMailboxAndForward":false}}}""", Encoding.UTF8, "application/json"));
        using var again = await http.PostAsync(url, new StringContent("""{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"adele.vance","DeliverToMailboxAndForward":false}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, again.StatusCode); // one use, then gone
        Assert.Empty(tenant.Faults.Active());
    }

    [Fact]
    public async Task InvokeCommand_WithoutAnchorMailbox_IsRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("bec");
        using var http = GraphTestClient.CreateRaw(tenant);

        using var response = await http.PostAsync($"adminapi/beta/{TenantId}/InvokeCommand",
            new StringContent("""{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, tenant.Requests.Count("POST", "/InvokeCommand"));
    }

    [Fact]
    public async Task MessageRules_ListOnlyTheRulesOutlookSees_HiddenOnesAreExchangeOnly()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("bec");
        using var http = GraphTestClient.CreateRaw(tenant);

        using var json = JsonDocument.Parse(await http.GetStringAsync("v1.0/users/5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01/mailFolders/inbox/messageRules"));

        var rules = json.RootElement.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(["Newsletters", "."], rules.Select(r => r.GetProperty("displayName").GetString()));
        Assert.Equal("adele.archive@proton.example", rules[1].GetProperty("actions").GetProperty("forwardTo")[0].GetProperty("emailAddress").GetProperty("address").GetString());
    }
}

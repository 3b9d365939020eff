using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class HostingTests
{
    [Fact]
    public void ScenarioNames_Embedded_ListsBothCaseOneVariants()
    {
        Assert.Contains(Ids.Scenario, SimulatedTenant.ScenarioNames);
        Assert.Contains(Ids.UnlicensedScenario, SimulatedTenant.ScenarioNames);
    }

    [Fact]
    public async Task Start_UnknownScenario_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatedTenant.StartInProcessAsync("no-such-scenario"));
    }

    [Fact]
    public async Task StartInProcess_BaseUrls_AreLocalhostV1()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);

        Assert.Equal("http://localhost/", tenant.BaseAddress.ToString());
        Assert.Equal("http://localhost/v1.0", tenant.GraphBaseUrl);
    }

    [Fact]
    public async Task UnlicensedScenario_InheritsEverythingButLicence()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.UnlicensedScenario);

        Assert.False(tenant.State.Read(m => m.IdentityProtectionP2));
        Assert.Equal(7, tenant.State.Read(m => m.Users.Count));
        Assert.Equal("8c3f2b1e-4d5a-4e8b-9c1d-2f3a4b5c6d7e", tenant.State.Read(m => m.TenantId));
    }

    [Fact]
    public async Task StartOnLoopback_PortZero_ServesSdkOnActualPort()
    {
        await using var tenant = await SimulatedTenant.StartOnLoopbackAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var user = await graph.Users[Ids.AdeleUpn].GetAsync();

        Assert.Equal("127.0.0.1", tenant.BaseAddress.Host);
        Assert.NotEqual(0, tenant.BaseAddress.Port);
        Assert.Equal(Ids.Adele, user?.Id);
    }

    [Fact]
    public async Task ControlEndpoints_OverLoopback_ExposeStateRequestsAndFaults()
    {
        await using var tenant = await SimulatedTenant.StartOnLoopbackAsync(Ids.Scenario);
        using var control = new HttpClient(tenant.CreateHandler()) { BaseAddress = tenant.BaseAddress };
        var graph = GraphTestClient.Create(tenant);

        using var add = await control.PostAsync("_sim/faults", JsonContent.Create(new { method = "GET", pathContains = "/groups/", statusCode = 503, times = 1, retryAfter = "00:00:00" }));
        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        await graph.Groups[Ids.SecOpsGroup].GetAsync();
        var requests = await control.GetFromJsonAsync<JsonElement>("_sim/requests");
        var state = await control.GetStringAsync("_sim/state");
        using var clear = await control.DeleteAsync("_sim/faults");

        Assert.Equal([503, 200], requests.EnumerateArray().Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Equal(tenant.ExportStateJson(), state);
        Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        Assert.Empty(tenant.Faults.Active());
    }

    [Fact]
    public async Task ExportStateJson_AfterChanges_IsIndentedAndReflectsThem()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        await graph.RoleManagement.Directory.RoleAssignments["ra-adele-pra"].DeleteAsync();

        var json = tenant.ExportStateJson();

        Assert.Contains("\n  \"tenantId\": \"8c3f2b1e-4d5a-4e8b-9c1d-2f3a4b5c6d7e\"", json.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("ra-adele-pra", json, StringComparison.Ordinal);
        Assert.Contains("ra-adele-helpdesk", json, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"microsoftAuthenticator\"", json, StringComparison.Ordinal);
    }
}

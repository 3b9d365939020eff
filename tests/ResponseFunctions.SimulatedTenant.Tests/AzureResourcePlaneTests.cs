using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>The Azure planes as their services answer: ARM's errors and async operations, Key Vault's challenge, the host routing.</summary>
public sealed class AzureResourcePlaneTests
{
    private const string Rg = "/subscriptions/7c3e1f5a-2b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod-weu";
    private const string Nic = Rg + "/providers/Microsoft.Network/networkInterfaces/vm-build-01-nic2";
    private const string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm-build-01";

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

    [Fact]
    public async Task Get_WithoutOrWithUnknownApiVersion_RefusedWithArmErrorCodes()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        var arm = GraphTestClient.CreateRaw(tenant);

        var missing = await arm.GetAsync(Nic);
        var unknown = await arm.GetAsync(Nic + "?api-version=2019-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("MissingApiVersionParameter", (await ErrorOf(missing)).GetProperty("code").GetString());
        Assert.Equal("InvalidApiVersionParameter", (await ErrorOf(unknown)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Get_UnknownResource_404ResourceNotFound()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        var arm = GraphTestClient.CreateRaw(tenant);

        var response = await arm.GetAsync(Rg + "/providers/Microsoft.Network/networkInterfaces/nope?api-version=2024-05-01");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFound", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task PutNic_WithoutIpConfigurations_RefusedAndNicUnchanged()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        var arm = GraphTestClient.CreateRaw(tenant);

        var response = await arm.PutAsJsonAsync(Nic + "?api-version=2024-05-01", new { location = "westeurope", properties = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(tenant.State.Read(m => m.Azure.Find(Nic)!["properties"]!["ipConfigurations"]));
    }

    [Fact]
    public async Task Deallocate_Accepted_ThenOperationPolledToSucceeded_ThenVmDeallocated()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        var arm = GraphTestClient.CreateRaw(tenant);
        const string vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm-build-01";

        var accepted = await arm.PostAsync(vm + "/deallocate?api-version=2024-07-01", null);
        var operation = accepted.Headers.GetValues("Azure-AsyncOperation").Single();
        var path = new Uri(operation).PathAndQuery;
        var first = JsonDocument.Parse(await arm.GetStringAsync(path)).RootElement.GetProperty("status").GetString();
        var view = await arm.GetStringAsync(vm + "/instanceView?api-version=2024-07-01");
        var second = JsonDocument.Parse(await arm.GetStringAsync(path)).RootElement.GetProperty("status").GetString();

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("1", accepted.Headers.GetValues("Retry-After").Single());
        Assert.Equal(("InProgress", "Succeeded"), (first, second));
        Assert.Contains("PowerState/running", view, StringComparison.Ordinal);
        Assert.Contains("PowerState/deallocated", await arm.GetStringAsync(vm + "/instanceView?api-version=2024-07-01"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DeallocatedVm_AcceptedThenRunningWhenTheOperationEnds()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        tenant.State.Mutate(m => m.Azure.Find(Vm)!["_powerState"] = "deallocated");
        var arm = GraphTestClient.CreateRaw(tenant);

        var accepted = await arm.PostAsync(Vm + "/start?api-version=2024-07-01", null);
        var operation = new Uri(accepted.Headers.GetValues("Azure-AsyncOperation").Single()).PathAndQuery;
        await arm.GetStringAsync(operation);
        await arm.GetStringAsync(operation);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Contains("PowerState/running", await arm.GetStringAsync(Vm + "/instanceView?api-version=2024-07-01"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteNsg_StillAssociatedWithANic_RefusedInUse_DeletedOnceDetached()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("cryptominer-vm");
        var arm = GraphTestClient.CreateRaw(tenant);
        const string nsg = Rg + "/providers/Microsoft.Network/networkSecurityGroups/nsg-build-weu?api-version=2024-05-01";
        const string nic1 = Rg + "/providers/Microsoft.Network/networkInterfaces/vm-build-01-nic1?api-version=2024-05-01";

        var inUse = await arm.DeleteAsync(nsg);
        var body = JsonNode.Parse(await arm.GetStringAsync(nic1))!.AsObject();
        body["properties"]!.AsObject().Remove("networkSecurityGroup");
        await arm.PutAsync(nic1, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var accepted = await arm.DeleteAsync(nsg);
        var operation = new Uri(accepted.Headers.GetValues("Azure-AsyncOperation").Single()).PathAndQuery;
        await arm.GetStringAsync(operation);
        await arm.GetStringAsync(operation);
        var gone = await arm.DeleteAsync(nsg);

        Assert.Equal(HttpStatusCode.BadRequest, inUse.StatusCode);
        Assert.Equal("InUseNetworkSecurityGroupCannotBeDeleted", (await ErrorOf(inUse)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await arm.GetAsync(nsg)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
    }

    [Fact]
    public async Task KeyVault_WithoutToken_401ChallengeNamingTheVaultResource()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("webshell-app");
        using var client = new HttpClient(tenant.CreateAzureHandler());

        var response = await client.GetAsync("https://kv-contoso-portal.vault.azure.net/secrets/session-signing-key/versions?api-version=7.5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains("resource=\"https://vault.azure.net\"", challenge, StringComparison.Ordinal);
        Assert.Contains("authorization=\"https://login.microsoftonline.com/", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureHandler_HostOutsideTheSimulatedServices_Refused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync("webshell-app");
        using var client = new HttpClient(tenant.CreateAzureHandler());

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("https://example.com/"));
    }
}

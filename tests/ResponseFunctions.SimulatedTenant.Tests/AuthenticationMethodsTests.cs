using System.Net;
using System.Text.Json;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class AuthenticationMethodsTests
{
    [Fact]
    public async Task ListMethods_CompromisedUser_ReturnsPolymorphicSdkTypes()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var methods = (await graph.Users[Ids.Adele].Authentication.Methods.GetAsync())!.Value!;

        Assert.Equal(5, methods.Count);
        Assert.IsType<PasswordAuthenticationMethod>(methods.Single(m => m.Id == Ids.AdelePassword));
        var phone = Assert.IsType<PhoneAuthenticationMethod>(methods.Single(m => m.Id == Ids.AdeleMobile));
        Assert.Equal(AuthenticationPhoneType.Mobile, phone.PhoneType);
        Assert.Equal("+33 6 12 34 56 78", phone.PhoneNumber);
        var attacker = Assert.IsType<MicrosoftAuthenticatorAuthenticationMethod>(methods.Single(m => m.Id == Ids.AttackerAuthenticator));
        Assert.Equal("SM-A515F", attacker.DisplayName);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 3, 14, 0, TimeSpan.Zero), attacker.CreatedDateTime);
        Assert.Equal("adele.recovery@proton.example", Assert.IsType<EmailAuthenticationMethod>(methods.Single(m => m.Id == Ids.AdeleEmail)).EmailAddress);
    }

    [Fact]
    public async Task ListMethods_RawJson_CarriesODataContextAndTypes()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        using var json = JsonDocument.Parse(await http.GetStringAsync($"v1.0/users/{Ids.Adele}/authentication/methods"));

        Assert.StartsWith("https://graph.microsoft.com/v1.0/$metadata#", json.RootElement.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        var types = json.RootElement.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("@odata.type").GetString()).ToList();
        Assert.Contains("#microsoft.graph.phoneAuthenticationMethod", types);
        Assert.Contains("#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", types);
    }

    [Fact]
    public async Task DeleteAttackerAuthenticator_TypedRoute_RemovesOnlyThatMethod()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.Users[Ids.Adele].Authentication.MicrosoftAuthenticatorMethods[Ids.AttackerAuthenticator].DeleteAsync();

        var ids = (await graph.Users[Ids.Adele].Authentication.Methods.GetAsync())!.Value!.Select(m => m.Id).ToList();
        Assert.DoesNotContain(Ids.AttackerAuthenticator, ids);
        Assert.Contains(Ids.AdeleIphone, ids);
    }

    [Fact]
    public async Task DeleteMethod_ThroughOtherKindsCollection_Throws404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Adele].Authentication.PhoneMethods[Ids.AttackerAuthenticator].DeleteAsync());

        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task DeleteDefaultMethod_WhileOthersRemain_ThrowsBadRequest()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Adele].Authentication.PhoneMethods[Ids.AdeleMobile].DeleteAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("badRequest", error.Error?.Code);
        Assert.Equal("Cannot delete default method with other methods configured. Change the default method first.", error.Error?.Message);
    }

    [Fact]
    public async Task DeleteDefaultMethod_WhenLastNonPasswordMethod_SucceedsAndLeavesNoDefault()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var adele = graph.Users[Ids.Adele].Authentication;

        await adele.MicrosoftAuthenticatorMethods[Ids.AttackerAuthenticator].DeleteAsync();
        await adele.MicrosoftAuthenticatorMethods[Ids.AdeleIphone].DeleteAsync();
        await adele.EmailMethods[Ids.AdeleEmail].DeleteAsync();
        await adele.PhoneMethods[Ids.AdeleMobile].DeleteAsync();

        var remaining = Assert.Single((await adele.Methods.GetAsync())!.Value!);
        Assert.IsType<PasswordAuthenticationMethod>(remaining);
        Assert.Null(tenant.State.Read(m => m.FindUser(Ids.Adele)!.DefaultAuthenticationMethodId));
    }

    [Fact]
    public async Task DeleteMobilePhone_WhileAlternateMobileExists_ThrowsBadRequest()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.State.Mutate(m =>
        {
            var diego = m.FindUser(Ids.Diego)!;
            diego.AuthenticationMethods.Add(new SimAuthenticationMethod
            {
                Id = "b6332ec1-7057-4abe-9331-3d72feddfe41", Type = AuthenticationMethodKind.Phone, PhoneNumber = "+33 6 00 00 00 01", PhoneType = "alternateMobile",
            });
            diego.DefaultAuthenticationMethodId = null;
        });
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Diego].Authentication.PhoneMethods[Ids.AdeleMobile].DeleteAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("alternate", error.Error?.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeletePassword_Always_ThrowsBadRequest()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        // The SDK has no DELETE for password methods at all; the service answers 400 when one is sent anyway.
        using var response = await http.DeleteAsync($"v1.0/users/{Ids.Adele}/authentication/passwordMethods/{Ids.AdelePassword}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(5, tenant.State.Read(m => m.FindUser(Ids.Adele)!.AuthenticationMethods.Count));
    }

    [Fact]
    public async Task DeleteMethod_GenericMethodsRoute_Throws404NoHttpResource()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        using var response = await http.DeleteAsync($"v1.0/users/{Ids.Adele}/authentication/methods/{Ids.AttackerAuthenticator}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("ResourceNotFound", error.GetProperty("code").GetString());
        Assert.Equal("No HTTP resource was found that matches the request URI", error.GetProperty("message").GetString());
        Assert.Equal(5, tenant.State.Read(m => m.FindUser(Ids.Adele)!.AuthenticationMethods.Count));
    }
}

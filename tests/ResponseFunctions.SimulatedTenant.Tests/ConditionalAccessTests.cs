using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class ConditionalAccessTests
{
    // SDK 5.92's IpNamedLocation/CountryNamedLocation constructors leave OdataType null, so it is not sent unless set
    // explicitly (as Microsoft's own snippets do); the service needs it to know which kind of location to create.
    private static IpNamedLocation AttackerIps() => new()
    {
        OdataType = "#microsoft.graph.ipNamedLocation",
        DisplayName = "IR case 1 - attacker IPs",
        IsTrusted = false,
        IpRanges = [new IPv4CidrRange { CidrAddress = "185.220.101.45/32" }, new IPv4CidrRange { CidrAddress = "45.155.205.23/32" }],
    };

    private static ConditionalAccessPolicy BlockFrom(string locationId) => new()
    {
        DisplayName = "IR case 1 - block attacker IPs",
        State = ConditionalAccessPolicyState.Enabled,
        Conditions = new ConditionalAccessConditionSet
        {
            ClientAppTypes = [ConditionalAccessClientApp.All],
            Applications = new ConditionalAccessApplications { IncludeApplications = ["All"] },
            Users = new ConditionalAccessUsers { IncludeUsers = ["All"], ExcludeUsers = ["b9e1f000-0000-4000-8000-000000000b01", "b9e1f000-0000-4000-8000-000000000b02"] },
            Locations = new ConditionalAccessLocations { IncludeLocations = [locationId] },
        },
        GrantControls = new ConditionalAccessGrantControls { Operator = "OR", BuiltInControls = [ConditionalAccessGrantControl.Block] },
    };

    [Fact]
    public async Task NamedLocation_CreateThenPatch_RoundTripsThroughSdkModels()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 20, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        var graph = GraphTestClient.Create(tenant);

        var created = Assert.IsType<IpNamedLocation>(await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(AttackerIps()));
        Assert.True(Guid.TryParse(created.Id, out _));
        Assert.Equal(clock.GetUtcNow(), created.CreatedDateTime);

        clock.Advance(TimeSpan.FromMinutes(5));
        await graph.Identity.ConditionalAccess.NamedLocations[created.Id].PatchAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            IpRanges = [new IPv4CidrRange { CidrAddress = "185.220.101.0/24" }],
        });

        var read = Assert.IsType<IpNamedLocation>(await graph.Identity.ConditionalAccess.NamedLocations[created.Id].GetAsync());
        Assert.Equal("IR case 1 - attacker IPs", read.DisplayName);
        Assert.Equal("185.220.101.0/24", Assert.IsType<IPv4CidrRange>(Assert.Single(read.IpRanges!)).CidrAddress);
        Assert.Equal(clock.GetUtcNow(), read.ModifiedDateTime);
        Assert.Equal(2, (await graph.Identity.ConditionalAccess.NamedLocations.GetAsync())!.Value!.Count);
    }

    [Fact]
    public async Task NamedLocation_InvalidCidr_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations.PostAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            DisplayName = "bad", IpRanges = [new IPv4CidrRange { CidrAddress = "185.220.101.300/32" }],
        }));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task NamedLocation_PostWithoutODataType_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var location = AttackerIps();
        location.OdataType = null;

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations.PostAsync(location));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("@odata.type", error.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedLocation_PatchWithoutODataType_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        using var response = await http.PatchAsync($"v1.0/identity/conditionalAccess/namedLocations/{Ids.CorporateHq}",
            new StringContent("{\"displayName\":\"HQ\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CountryNamedLocation_Create_KeepsCountries()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var created = await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(new CountryNamedLocation
        {
            OdataType = "#microsoft.graph.countryNamedLocation",
            DisplayName = "Blocked countries", CountriesAndRegions = ["RU", "KP"], IncludeUnknownCountriesAndRegions = false,
        });

        var read = Assert.IsType<CountryNamedLocation>(await graph.Identity.ConditionalAccess.NamedLocations[created!.Id].GetAsync());
        Assert.Equal(["RU", "KP"], read.CountriesAndRegions);
    }

    [Fact]
    public async Task Policy_CreateReferencingNewLocationThenPatchState_RoundTrips()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var location = await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(AttackerIps());

        var policy = await graph.Identity.ConditionalAccess.Policies.PostAsync(BlockFrom(location!.Id!));
        await graph.Identity.ConditionalAccess.Policies[policy!.Id].PatchAsync(new ConditionalAccessPolicy { State = ConditionalAccessPolicyState.EnabledForReportingButNotEnforced });

        var read = await graph.Identity.ConditionalAccess.Policies[policy.Id].GetAsync();
        Assert.Equal(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced, read?.State);
        Assert.Equal([location.Id!], read?.Conditions?.Locations?.IncludeLocations);
        Assert.Equal([ConditionalAccessGrantControl.Block], read?.GrantControls?.BuiltInControls);
        Assert.Equal(["All"], read?.Conditions?.Applications?.IncludeApplications);
    }

    [Fact]
    public async Task Policy_CreateWithUnknownLocation_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.Policies.PostAsync(BlockFrom(Guid.NewGuid().ToString())));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Single(tenant.State.Read(m => m.ConditionalAccessPolicies.ToList()));
    }

    [Fact]
    public async Task DeleteNamedLocation_ReferencedByPolicy_Throws400UntilPolicyDeleted()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var location = await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(AttackerIps());
        var policy = await graph.Identity.ConditionalAccess.Policies.PostAsync(BlockFrom(location!.Id!));

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations[location.Id].DeleteAsync());
        await graph.Identity.ConditionalAccess.Policies[policy!.Id].DeleteAsync();
        await graph.Identity.ConditionalAccess.NamedLocations[location.Id].DeleteAsync();

        Assert.Equal(400, error.ResponseStatusCode);
        var notFound = await Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations[location.Id].GetAsync());
        Assert.Equal(404, notFound.ResponseStatusCode);
    }

    [Fact]
    public async Task Policy_GetModifyNestedListAndPatch_MergesWithoutLosingOtherConditions()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var policy = await graph.Identity.ConditionalAccess.Policies[Ids.MfaForAdminsPolicy].GetAsync();

        // The SDK's backing store sends only the changed nested property: the service merges it into the policy.
        policy!.Conditions!.Users!.ExcludeUsers!.Add(Ids.Megan);
        await graph.Identity.ConditionalAccess.Policies[Ids.MfaForAdminsPolicy].PatchAsync(policy);

        var read = await graph.Identity.ConditionalAccess.Policies[Ids.MfaForAdminsPolicy].GetAsync();
        Assert.Contains(Ids.Megan, read!.Conditions!.Users!.ExcludeUsers!);
        Assert.Equal(3, read.Conditions.Users.ExcludeUsers!.Count);
        Assert.Equal([Ids.GlobalAdmin], read.Conditions.Users.IncludeRoles);
        Assert.Equal(["All"], read.Conditions.Applications?.IncludeApplications);
        Assert.NotNull(read.ModifiedDateTime);
    }

    [Fact]
    public async Task ListPolicies_Seeded_ReturnsMfaForAdmins()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var policy = Assert.Single((await graph.Identity.ConditionalAccess.Policies.GetAsync())!.Value!);

        Assert.Equal(Ids.MfaForAdminsPolicy, policy.Id);
        Assert.Equal(ConditionalAccessPolicyState.Enabled, policy.State);
        Assert.Equal([Ids.GlobalAdmin], policy.Conditions?.Users?.IncludeRoles);
        Assert.Equal([ConditionalAccessGrantControl.Mfa], policy.GrantControls?.BuiltInControls);
    }
}

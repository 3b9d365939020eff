using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.ConditionalAccess;

/// <summary>/identity/conditionalAccess/namedLocations: IP and country locations, e.g. to block an attacker's IPs.</summary>
internal static class NamedLocationEndpoints
{
    private const string Collection = "identity/conditionalAccess/namedLocations";

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("POST", Collection, Create)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch)
        .Map("DELETE", $"{Collection}/{{id}}", Delete);

    private static GraphResponse List(GraphRequest request) =>
        GraphShapedStore.List(request, m => m.NamedLocations, NamedLocation.CreateFromDiscriminatorValue, l => l.DisplayName, l => l.Id, Collection);

    private static GraphResponse Get(GraphRequest request) =>
        GraphShapedStore.Get(request, m => m.NamedLocations, NamedLocation.CreateFromDiscriminatorValue, NotFound, Collection);

    private static GraphResponse Create(GraphRequest request)
    {
        var location = request.BodyAs(NamedLocation.CreateFromDiscriminatorValue);
        Validate(location);
        location.Id = Guid.NewGuid().ToString();
        location.CreatedDateTime = request.Now;
        location.ModifiedDateTime = request.Now;
        var stored = GraphShapedStore.ToStored(location);
        request.State.Mutate(m => m.NamedLocations.Add(stored.DeepClone().AsObject()));
        return GraphResponse.Created(GraphJson.Entity(location, $"{Collection}/$entity"));
    }

    private static GraphResponse Patch(GraphRequest request)
    {
        var patch = request.BodyObject();
        var patchType = patch["@odata.type"]?.GetValue<string>();
        if (string.IsNullOrEmpty(patchType))
        {
            throw GraphException.BadRequest("The @odata.type property is required when updating a named location.");
        }

        request.State.Mutate(m =>
        {
            var stored = GraphShapedStore.Find(m.NamedLocations, request["id"]) ?? throw NotFound(request["id"]);
            if (!string.Equals(stored["@odata.type"]?.GetValue<string>(), patchType, StringComparison.OrdinalIgnoreCase))
            {
                throw GraphException.BadRequest($"The @odata.type '{patchType}' does not match the named location's type '{stored["@odata.type"]}'.");
            }

            var merged = GraphShapedStore.Merge(stored, patch);
            merged["modifiedDateTime"] = JsonValue.Create(request.Now);
            Validate(GraphShapedStore.FromStored(merged, NamedLocation.CreateFromDiscriminatorValue));
            m.NamedLocations[m.NamedLocations.IndexOf(stored)] = merged;
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse Delete(GraphRequest request)
    {
        request.State.Mutate(m =>
        {
            var stored = GraphShapedStore.Find(m.NamedLocations, request["id"]) ?? throw NotFound(request["id"]);
            var id = GraphShapedStore.Id(stored)!;
            var user = m.ConditionalAccessPolicies.FirstOrDefault(p => PolicyEndpoints.ReferencedLocations(p).Contains(id, StringComparer.OrdinalIgnoreCase));
            if (user is not null)
            {
                throw GraphException.BadRequest(
                    $"The named location '{id}' is referenced by conditional access policy '{user["displayName"]}' and cannot be deleted.");
            }

            m.NamedLocations.Remove(stored);
        });
        return GraphResponse.NoContent();
    }

    private static void Validate(NamedLocation location)
    {
        if (string.IsNullOrWhiteSpace(location.DisplayName))
        {
            throw GraphException.BadRequest("displayName is required for a named location.");
        }

        switch (location)
        {
            case IpNamedLocation ip:
                if (ip.IpRanges is not { Count: > 0 })
                {
                    throw GraphException.BadRequest("An IP named location needs at least one ipRange.");
                }

                foreach (var range in ip.IpRanges)
                {
                    ValidateRange(range);
                }

                break;
            case CountryNamedLocation country:
                if (country.CountriesAndRegions is not { Count: > 0 } && country.IncludeUnknownCountriesAndRegions != true)
                {
                    throw GraphException.BadRequest("A country named location needs countriesAndRegions.");
                }

                var invalid = country.CountriesAndRegions?.FirstOrDefault(c => c is not { Length: 2 } || !c.All(char.IsAsciiLetter));
                if (invalid is not null)
                {
                    throw GraphException.BadRequest($"'{invalid}' is not a two-letter ISO 3166 country code.");
                }

                break;
            default:
                throw GraphException.BadRequest(
                    "The request body must contain '@odata.type': '#microsoft.graph.ipNamedLocation' or '#microsoft.graph.countryNamedLocation'.");
        }
    }

    private static void ValidateRange(IpRange range)
    {
        var (cidr, family) = range switch
        {
            IPv4CidrRange v4 => (v4.CidrAddress, AddressFamily.InterNetwork),
            IPv6CidrRange v6 => (v6.CidrAddress, AddressFamily.InterNetworkV6),
            _ => throw GraphException.BadRequest(
                "ipRanges items must be #microsoft.graph.iPv4CidrRange or #microsoft.graph.iPv6CidrRange."),
        };

        // IPNetwork.TryParse also rejects host bits set past the prefix (e.g. 10.0.0.1/8), like the portal does.
        if (string.IsNullOrWhiteSpace(cidr) || !cidr.Contains('/') || !IPNetwork.TryParse(cidr, out var network)
            || network.BaseAddress.AddressFamily != family)
        {
            throw GraphException.BadRequest($"The IP range '{cidr}' is not a valid {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} CIDR range.");
        }
    }

    private static GraphException NotFound(string id) =>
        GraphException.ResourceNotFound($"The named location '{id}' does not exist.");
}

using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.e — Harden Conditional Access: put the incident's attacker IPs (and countries) into named locations and block
/// sign-ins from them for all users, always excluding the protected (break-glass) accounts. Report-only unless policy
/// enforces it. Later incidents reuse and extend the same locations and policy instead of piling up new ones.
/// An IP inside a trusted named location is never blocked, nor a country in a named location the policy marks trusted
/// (<see cref="ConditionalAccessHardening.TrustedLocations"/>): that would cut off the organisation itself.
/// </summary>
/// <remarks>Graph: /identity/conditionalAccess/namedLocations and /policies (GET, POST, PATCH); /auditLogs/signIns for
/// evidence. Permissions: the catalog row.</remarks>
public sealed class HardenConditionalAccess(GraphServiceClient graph, DirectoryReader directory, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string IpLocationType = "#microsoft.graph.ipNamedLocation";
    private const string CountryLocationType = "#microsoft.graph.countryNamedLocation";
    private const string EnsureIpLocation = "ensure-ip-location";
    private const string EnsureCountryLocation = "ensure-country-location";
    private const string EnsureBlockPolicy = "ensure-block-policy";

    public ActionId Id { get; } = ActionId.Parse("1.e");

    private ConditionalAccessHardening Settings => policy.Value.ConditionalAccess;

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var scope = step.Scope;
        if (scope.Ips.Count == 0 && scope.Countries.Count == 0)
        {
            return Plans.NothingToDo(step, "The incident names no attacker IP address or country: no location to block.");
        }

        var current = await ReadAsync(cancellationToken);
        var warnings = new List<string>();
        var ranges = BlockableRanges(scope.Ips, [.. current.TrustedRanges, .. Settings.NeverBlock.Select(r => ("never-block (policy)", r))], warnings);
        var evidence = new List<Evidence>(await SignInEvidenceAsync(scope, warnings, cancellationToken));
        evidence.Add(new Evidence("Current exclusions of the block policy", DescribeExclusions(current.Policy)));
        var countries = BlockableCountries(scope.Countries, current, evidence, warnings);
        if (ForeignExclusions(current.Policy, scope) is { Count: > 0 } foreign)
        {
            warnings.Add($"The existing policy \"{Settings.PolicyName}\" excludes accounts that are not protected principals ({string.Join(", ", foreign)}): "
                + "they are removed, the policy will exclude exactly the protected accounts.");
        }

        if (ranges.Count == 0 && countries.Count == 0)
        {
            return Plans.NothingToDo(step, "No incident location can be blocked safely (every IP and country is inside a trusted location).", evidence, Snapshot.Of(current.Describe()), warnings);
        }

        var changes = new List<PlannedChange>();

        var missingRanges = ranges.Except(current.IpRanges, StringComparer.OrdinalIgnoreCase).ToList();
        if (missingRanges.Count > 0)
        {
            var added = missingRanges.Sum(Requests.BlockableRanges.Size);
            var total = added + current.IpRanges.Sum(r => Requests.BlockableRanges.Size(r));
            var overCap = added > Settings.MaxAddressesPerIncident || total > Settings.MaxAddressesInPolicy;
            if (overCap)
            {
                warnings.Add($"This adds {added:N0} addresses ({total:N0} in the standing block), above the policy's caps ({Settings.MaxAddressesPerIncident:N0} per incident, "
                    + $"{Settings.MaxAddressesInPolicy:N0} in total): a second approver is required.");
            }

            var parameters = new Dictionary<string, string> { ["values"] = string.Join(',', missingRanges) };
            changes.Add(new UntypedChange(EnsureIpLocation, current.IpLocation?.Id ?? "new",
                $"{(current.IpLocation is null ? "Create" : "Extend")} named location \"{Settings.IpLocationName}\" with {string.Join(", ", missingRanges)}",
                parameters) { RequiresSecondApprover = overCap });
        }

        var missingCountries = countries.Except(current.Countries, StringComparer.OrdinalIgnoreCase).ToList();
        if (missingCountries.Count > 0)
        {
            changes.Add(new UntypedChange(EnsureCountryLocation, current.CountryLocation?.Id ?? "new",
                $"{(current.CountryLocation is null ? "Create" : "Extend")} named location \"{Settings.CountryLocationName}\" with {string.Join(", ", missingCountries)}",
                new Dictionary<string, string> { ["values"] = string.Join(',', missingCountries) }));
        }

        var wantsIp = ranges.Count > 0 || current.IpLocation is not null;
        var wantsCountry = countries.Count > 0 || current.CountryLocation is not null;
        var desiredState = DesiredState(current.Policy);
        if (current.Policy is null || changes.Count > 0 || !PolicyIsAsDesired(current, desiredState, wantsIp, wantsCountry, scope))
        {
            changes.Add(new UntypedChange(EnsureBlockPolicy, current.Policy?.Id ?? "new",
                $"{(current.Policy is null ? "Create" : "Update")} Conditional Access policy \"{Settings.PolicyName}\": block all users from these locations, "
                + $"excluding exactly the {Exclusions(scope).Count} protected account(s) and nothing else; state {desiredState}",
                new Dictionary<string, string> { ["state"] = desiredState.ToString() }));
        }

        if (desiredState != ConditionalAccessPolicyState.Enabled)
        {
            warnings.Add("The block policy is report-only: read its impact in the sign-in logs, then enforce it (Containment:ConditionalAccess:Enforce=true).");
        }

        if (policy.Value.ProtectedPrincipals.Count == 0)
        {
            warnings.Add("No protected (break-glass) account is configured: nothing is excluded from the block policy.");
        }

        return changes.Count == 0
            ? Plans.NothingToDo(step, "The attacker's locations are already blocked by the incident policy.", evidence, Snapshot.Of(current.Describe()), warnings)
            : Plans.Change(step, $"Block sign-ins from {Describe(ranges, countries)} for all users but the protected accounts.",
                evidence, changes, warnings, Snapshot.Of(current.Describe()));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var current = before;
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            var (outcome, updated) = change.Kind switch
            {
                EnsureIpLocation => await EnsureIpLocationAsync(current, Values(change), cancellationToken),
                EnsureCountryLocation => await EnsureCountryLocationAsync(current, Values(change), cancellationToken),
                EnsureBlockPolicy => await EnsureBlockPolicyAsync(current, Enum.Parse<ConditionalAccessPolicyState>(change.Parameter("state")), step.Scope, cancellationToken),
                _ => throw new InvalidOperationException($"1.e cannot apply '{change.Kind}'."),
            };
            results.Add(new ChangeResult(change, outcome, outcome == ChangeOutcome.Failed ? Refused(change) : null));
            current = updated;
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"Named location(s) and policy \"{Settings.PolicyName}\" ({after.Policy?.State}) block the attacker's locations.",
            Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var wanted = plan.Changes.Where(c => c.Kind == EnsureIpLocation).SelectMany(Values).ToList();
        var missing = wanted.Except(current.IpRanges, StringComparer.OrdinalIgnoreCase)
            .Concat(plan.Changes.Where(c => c.Kind == EnsureCountryLocation).SelectMany(Values).Except(current.Countries, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var state = plan.Changes.FirstOrDefault(c => c.Kind == EnsureBlockPolicy) is { } p
            ? Enum.Parse<ConditionalAccessPolicyState>(p.Parameter("state"))
            : current.Policy?.State ?? ConditionalAccessPolicyState.EnabledForReportingButNotEnforced;
        if (missing.Count > 0)
        {
            return Results.Mismatch(step, $"Not in the named locations: {string.Join(", ", missing)}.");
        }

        return current.Policy is not null && PolicyIsAsDesired(current, state, current.IpLocation is not null, current.CountryLocation is not null, step.Scope)
            ? Results.Verified(step, $"Policy \"{Settings.PolicyName}\" is {current.Policy.State}, targets the incident locations and excludes exactly the protected accounts.")
            : Results.Mismatch(step, $"Policy \"{Settings.PolicyName}\" is missing or differs from the plan.");
    }

    private async Task<(ChangeOutcome, CaState)> EnsureIpLocationAsync(CaState current, IReadOnlyList<string> ranges, CancellationToken cancellationToken)
    {
        var missing = ranges.Except(current.IpRanges, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count == 0)
        {
            return (ChangeOutcome.AlreadyDone, current);
        }

        var all = current.IpRanges.Concat(missing).Select(ToIpRange).ToList();
        if (current.IpLocation is null)
        {
            await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(
                new IpNamedLocation { OdataType = IpLocationType, DisplayName = Settings.IpLocationName, IsTrusted = false, IpRanges = all },
                cancellationToken: cancellationToken);
        }
        else
        {
            await graph.Identity.ConditionalAccess.NamedLocations[current.IpLocation.Id].PatchAsync(
                new IpNamedLocation { OdataType = IpLocationType, IpRanges = all }, cancellationToken: cancellationToken);
        }

        return (ChangeOutcome.Done, await ReadAsync(cancellationToken));
    }

    private async Task<(ChangeOutcome, CaState)> EnsureCountryLocationAsync(CaState current, IReadOnlyList<string> countries, CancellationToken cancellationToken)
    {
        var missing = countries.Except(current.Countries, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count == 0)
        {
            return (ChangeOutcome.AlreadyDone, current);
        }

        // Checked again against the locations as they are now: one marked trusted after the plan still wins.
        if (current.MissingTrustedLocations.Count > 0 || missing.Any(c => current.TrustedLocationOf(c) is not null))
        {
            return (ChangeOutcome.Failed, current);
        }

        var all = current.Countries.Concat(missing).ToList();
        if (current.CountryLocation is null)
        {
            await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(
                new CountryNamedLocation
                {
                    OdataType = CountryLocationType,
                    DisplayName = Settings.CountryLocationName,
                    CountriesAndRegions = all,
                    IncludeUnknownCountriesAndRegions = false,
                    CountryLookupMethod = CountryLookupMethodType.ClientIpAddress,
                },
                cancellationToken: cancellationToken);
        }
        else
        {
            await graph.Identity.ConditionalAccess.NamedLocations[current.CountryLocation.Id].PatchAsync(
                new CountryNamedLocation { OdataType = CountryLocationType, CountriesAndRegions = all }, cancellationToken: cancellationToken);
        }

        return (ChangeOutcome.Done, await ReadAsync(cancellationToken));
    }

    private async Task<(ChangeOutcome, CaState)> EnsureBlockPolicyAsync(CaState current, ConditionalAccessPolicyState state, IncidentScope scope, CancellationToken cancellationToken)
    {
        var hasIp = current.IpLocation is not null;
        var hasCountry = current.CountryLocation is not null;
        if (current.Policy is not null && PolicyIsAsDesired(current, state, hasIp, hasCountry, scope))
        {
            return (ChangeOutcome.AlreadyDone, current);
        }

        var locations = new[] { current.IpLocation?.Id, current.CountryLocation?.Id }.OfType<string>()
            .Union(current.Policy?.Conditions?.Locations?.IncludeLocations ?? [], StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locations.Count == 0)
        {
            // A block policy without a location condition would block every sign-in from everywhere.
            return (ChangeOutcome.Failed, current);
        }

        // 1.e owns this policy: it excludes exactly the protected accounts, whatever someone added (an attacker
        // excluding the compromised user), and never a target of the incident.
        var exclusions = Exclusions(scope);
        var desired = new ConditionalAccessPolicy
        {
            DisplayName = Settings.PolicyName,
            State = state,
            Conditions = new ConditionalAccessConditionSet
            {
                Users = new ConditionalAccessUsers
                {
                    IncludeUsers = ["All"],
                    ExcludeUsers = exclusions,
                    ExcludeGroups = [],
                    ExcludeRoles = [],
                },
                Applications = new ConditionalAccessApplications { IncludeApplications = ["All"] },
                ClientAppTypes = [ConditionalAccessClientApp.All],
                Locations = new ConditionalAccessLocations { IncludeLocations = locations },
            },
            GrantControls = new ConditionalAccessGrantControls { Operator = "OR", BuiltInControls = [ConditionalAccessGrantControl.Block] },
        };

        if (current.Policy is null)
        {
            await graph.Identity.ConditionalAccess.Policies.PostAsync(desired, cancellationToken: cancellationToken);
        }
        else
        {
            await graph.Identity.ConditionalAccess.Policies[current.Policy.Id].PatchAsync(desired, cancellationToken: cancellationToken);
        }

        return (ChangeOutcome.Done, await ReadAsync(cancellationToken));
    }

    /// <summary>Why apply refused a planned change: the tenant changed since the plan, and a safety rule now forbids it.</summary>
    private static ErrorInfo Refused(PlannedChange change) => new(ErrorKind.BadRequest, "RefusedBySafetyRule", change.Kind switch
    {
        EnsureCountryLocation => "A planned country is now in a trusted named location (or a trusted location is missing): not blocked. Plan again.",
        _ => "No named location to condition the block policy on: a policy without one would block every sign-in. Plan again.",
    });

    /// <summary>Never downgrades: a policy someone already enforces stays enforced even when this playbook is set to report-only.</summary>
    private ConditionalAccessPolicyState DesiredState(ConditionalAccessPolicy? existing) =>
        Settings.Enforce || existing?.State == ConditionalAccessPolicyState.Enabled
            ? ConditionalAccessPolicyState.Enabled
            : ConditionalAccessPolicyState.EnabledForReportingButNotEnforced;

    /// <summary>The protected accounts, minus any the incident names: a target is never excluded from the block.</summary>
    private List<string> Exclusions(IncidentScope scope) =>
        [.. policy.Value.ProtectedPrincipals.Where(p => !scope.Users.Any(u => string.Equals(u.Id, p, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.OrdinalIgnoreCase)];

    private List<string> ForeignExclusions(ConditionalAccessPolicy? existing, IncidentScope scope)
    {
        var users = existing?.Conditions?.Users;
        var allowed = Exclusions(scope);
        return [.. (users?.ExcludeUsers ?? []).Where(u => !allowed.Contains(u, StringComparer.OrdinalIgnoreCase)).Select(u => $"user {u}")
            .Concat((users?.ExcludeGroups ?? []).Select(g => $"group {g}"))
            .Concat((users?.ExcludeRoles ?? []).Select(r => $"role {r}"))];
    }

    private static string DescribeExclusions(ConditionalAccessPolicy? existing)
    {
        var users = existing?.Conditions?.Users;
        var all = (users?.ExcludeUsers ?? []).Select(u => $"user {u}").Concat((users?.ExcludeGroups ?? []).Select(g => $"group {g}"))
            .Concat((users?.ExcludeRoles ?? []).Select(r => $"role {r}")).ToList();
        return existing is null ? "no policy yet" : all.Count == 0 ? "none" : string.Join(", ", all);
    }

    private bool PolicyIsAsDesired(CaState current, ConditionalAccessPolicyState state, bool needsIp, bool needsCountry, IncidentScope scope)
    {
        var existing = current.Policy;
        if (existing is null)
        {
            return false;
        }

        var included = existing.Conditions?.Locations?.IncludeLocations ?? [];
        var excluded = existing.Conditions?.Users?.ExcludeUsers ?? [];
        return existing.State == state
            && (existing.Conditions?.Users?.IncludeUsers ?? []).Contains("All")
            && excluded.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(Exclusions(scope), StringComparer.OrdinalIgnoreCase)
            && (existing.Conditions?.Users?.ExcludeGroups ?? []).Count == 0
            && (existing.Conditions?.Users?.ExcludeRoles ?? []).Count == 0
            && (!needsIp || (current.IpLocation?.Id is { } ip && included.Contains(ip)))
            && (!needsCountry || (current.CountryLocation?.Id is { } country && included.Contains(country)))
            && (existing.GrantControls?.BuiltInControls ?? []).Contains(ConditionalAccessGrantControl.Block);
    }

    private static List<string> BlockableRanges(IReadOnlyList<string> ips, IReadOnlyList<(string Location, string Range)> trusted, List<string> warnings)
    {
        var ranges = new List<string>();
        foreach (var given in ips)
        {
            // Every entry path normalizes; checked again here, where the block is built.
            if (Requests.BlockableRanges.Normalize(given, out var why) is not { } ip)
            {
                warnings.Add($"{given} is not blocked: {why}.");
                continue;
            }

            var network = IPNetwork.Parse(ip);
            if (trusted.FirstOrDefault(t => IPNetwork.TryParse(t.Range, out var range) && Requests.BlockableRanges.Overlaps(range, network)) is { Location: not null } overlap)
            {
                warnings.Add($"{ip} is inside the trusted named location \"{overlap.Location}\" ({overlap.Range}): not blocked. Check that location.");
                continue;
            }

            if (network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 48))
            {
                warnings.Add($"{ip} is a wide range: blocking it may block legitimate users too.");
            }

            ranges.Add(ip);
        }

        return ranges;
    }

    /// <summary>
    /// The incident's countries minus any a trusted location contains (each refusal is a warning, the trusted countries
    /// are evidence). A configured trusted location that cannot be found fails closed: no country is blocked.
    /// </summary>
    private static List<string> BlockableCountries(IReadOnlyList<string> countries, CaState current, List<Evidence> evidence, List<string> warnings)
    {
        if (countries.Count == 0)
        {
            return [];
        }

        evidence.Add(new Evidence("Trusted country locations (never blocked)", current.TrustedCountries.Count == 0
            ? "none"
            : string.Join("; ", current.TrustedCountries.GroupBy(t => t.Location).Select(g => $"\"{g.Key}\": {string.Join(", ", g.Select(t => t.Country))}"))));
        if (current.MissingTrustedLocations.Count > 0)
        {
            warnings.Add($"The trusted location(s) {string.Join(", ", current.MissingTrustedLocations.Select(l => $"\"{l}\""))} (ConditionalAccess.TrustedLocations) "
                + $"are not in the tenant: no country is blocked ({string.Join(", ", countries)}) until they name existing named locations.");
            return [];
        }

        var blockable = new List<string>();
        foreach (var country in countries)
        {
            if (current.TrustedLocationOf(country) is { } location)
            {
                warnings.Add($"{country} is in the trusted named location \"{location}\": not blocked.");
                continue;
            }

            blockable.Add(country);
        }

        return blockable;
    }

    private async Task<IReadOnlyList<Evidence>> SignInEvidenceAsync(IncidentScope scope, List<string> warnings, CancellationToken cancellationToken)
    {
        var networks = scope.Ips.Select(IPNetwork.Parse).ToList();
        var evidence = new List<Evidence>();
        foreach (var user in scope.Users)
        {
            try
            {
                var page = await graph.AuditLogs.SignIns.GetAsync(r =>
                {
                    r.QueryParameters.Filter = ODataFilter.Eq("userId", user.Id);
                    r.QueryParameters.Top = 100;
                }, cancellationToken);
                foreach (var group in (page?.Value ?? [])
                             .Where(s => s.IpAddress is { } a && IPAddress.TryParse(a, out var address) && networks.Any(n => n.Contains(address)))
                             .GroupBy(s => s.IpAddress!))
                {
                    var place = group.First().Location is { } l ? $" ({l.City}, {l.CountryOrRegion})" : string.Empty;
                    evidence.Add(new Evidence($"Sign-ins of {user.Name} from {group.Key}{place}",
                        $"{group.Count()}, last {group.Max(s => s.CreatedDateTime):u}"));
                }
            }
            catch (ODataError error) when (error.ResponseStatusCode is 403)
            {
                warnings.Add($"Sign-in logs are not readable ({GraphErrors.ToErrorInfo(error).Code}): grant AuditLog.Read.All for this evidence.");
                break;
            }
        }

        return evidence;
    }

    private async Task<CaState> ReadAsync(CancellationToken cancellationToken)
    {
        var locations = await directory.AllPagesAsync<NamedLocation, NamedLocationCollectionResponse>(
            await graph.Identity.ConditionalAccess.NamedLocations.GetAsync(cancellationToken: cancellationToken), cancellationToken);
        var policies = await directory.AllPagesAsync<ConditionalAccessPolicy, ConditionalAccessPolicyCollectionResponse>(
            await graph.Identity.ConditionalAccess.Policies.GetAsync(cancellationToken: cancellationToken), cancellationToken);
        var markedTrusted = locations.Where(l => Settings.TrustedLocations.Any(t => string.Equals(t, l.DisplayName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t, l.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        var trusted = locations.OfType<IpNamedLocation>().Where(l => l.IsTrusted == true || markedTrusted.Contains(l))
            .SelectMany(l => (l.IpRanges ?? []).Select(r => (l.DisplayName ?? l.Id ?? "?", CidrOf(r)))).Where(t => t.Item2 is not null)
            .Select(t => (t.Item1, t.Item2!)).ToList();
        var trustedCountries = markedTrusted.OfType<CountryNamedLocation>()
            .SelectMany(l => (l.CountriesAndRegions ?? []).Select(c => (l.DisplayName ?? l.Id ?? "?", c.ToUpperInvariant()))).ToList();
        var missingTrusted = Settings.TrustedLocations.Where(t => !markedTrusted.Any(l => string.Equals(t, l.DisplayName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t, l.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        return new CaState(
            locations.OfType<IpNamedLocation>().FirstOrDefault(l => l.DisplayName == Settings.IpLocationName),
            locations.OfType<CountryNamedLocation>().FirstOrDefault(l => l.DisplayName == Settings.CountryLocationName),
            policies.FirstOrDefault(p => p.DisplayName == Settings.PolicyName),
            trusted)
        {
            TrustedCountries = trustedCountries,
            MissingTrustedLocations = missingTrusted,
        };
    }

    private static string Describe(IReadOnlyList<string> ranges, IReadOnlyList<string> countries) =>
        string.Join(" and ", new[]
        {
            ranges.Count > 0 ? $"{string.Join(", ", ranges)}" : null,
            countries.Count > 0 ? $"countries {string.Join(", ", countries)}" : null,
        }.OfType<string>());

    private static IReadOnlyList<string> Values(PlannedChange change) => change.Parameter("values").Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static IpRange ToIpRange(string cidr) => IPNetwork.Parse(cidr).BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? new IPv6CidrRange { OdataType = "#microsoft.graph.iPv6CidrRange", CidrAddress = cidr }
        : new IPv4CidrRange { OdataType = "#microsoft.graph.iPv4CidrRange", CidrAddress = cidr };

    private static string? CidrOf(IpRange range) => range switch
    {
        IPv4CidrRange v4 => v4.CidrAddress,
        IPv6CidrRange v6 => v6.CidrAddress,
        _ => null,
    };

    /// <summary>The incident location(s) and policy as they stand; <see cref="Describe"/> is what the journal keeps to restore them.</summary>
    private sealed record CaState(
        IpNamedLocation? IpLocation,
        CountryNamedLocation? CountryLocation,
        ConditionalAccessPolicy? Policy,
        IReadOnlyList<(string Location, string Range)> TrustedRanges)
    {
        public IReadOnlyList<string> IpRanges { get; } =
            [.. (IpLocation?.IpRanges ?? []).Select(CidrOf).OfType<string>().Select(c => Requests.ContainmentRequestParser.NormalizeIp(c) ?? c)];

        public IReadOnlyList<string> Countries { get; } = CountryLocation?.CountriesAndRegions ?? [];

        /// <summary>The countries of the country locations the policy marks trusted, with the location's name.</summary>
        public IReadOnlyList<(string Location, string Country)> TrustedCountries { get; init; } = [];

        /// <summary>Trusted locations the policy names that the tenant does not have: their countries are unknown.</summary>
        public IReadOnlyList<string> MissingTrustedLocations { get; init; } = [];

        public string? TrustedLocationOf(string country) =>
            TrustedCountries.FirstOrDefault(t => string.Equals(t.Country, country, StringComparison.OrdinalIgnoreCase)).Location;

        public object Describe() => new
        {
            ipLocation = IpLocation is null ? null : new { id = IpLocation.Id, name = IpLocation.DisplayName, ranges = IpRanges },
            countryLocation = CountryLocation is null ? null : new { id = CountryLocation.Id, name = CountryLocation.DisplayName, countries = Countries },
            policy = Policy is null ? null : new
            {
                id = Policy.Id,
                name = Policy.DisplayName,
                state = Policy.State?.ToString(),
                includeLocations = Policy.Conditions?.Locations?.IncludeLocations,
                excludeUsers = Policy.Conditions?.Users?.ExcludeUsers,
            },
        };
    }
}

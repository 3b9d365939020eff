using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;
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
/// The named locations are <see cref="IncidentLocations"/>', the policy <see cref="BlockPolicy"/>'s; this is the step over them.
/// </summary>
/// <remarks>Graph: /identity/conditionalAccess/namedLocations and /policies (GET, POST, PATCH); /auditLogs/signIns for
/// evidence (<see cref="SignInEvidence"/>). Permissions: the catalog row.</remarks>
public sealed class HardenConditionalAccess(GraphServiceClient graph, DirectoryReader directory, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<ConditionalAccessState>(runner)
{
    private readonly IncidentLocations _locations = new(graph, directory, policy);
    private readonly BlockPolicy _policy = new(graph, policy);
    private readonly SignInEvidence _signIns = new(graph);

    public override ActionId Id { get; } = ActionId.Parse("1.e");

    private ConditionalAccessHardening Settings => policy.Value.ConditionalAccess;

    protected internal override async Task<ConditionalAccessState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        NamesNoLocation(step.Scope) ? ConditionalAccessState.Unread : await _locations.ReadAsync(cancellationToken);

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, ConditionalAccessState current, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var scope = step.Scope;
        if (NamesNoLocation(scope))
        {
            return Plans.NothingToDo(step, "The incident names no attacker IP address or country: no location to block.");
        }

        var warnings = new List<string>();
        var ranges = _locations.RangesToBlock(scope.Ips, current, warnings);
        var evidence = new List<Evidence>(await _signIns.ReadAsync(scope, warnings, cancellationToken));
        evidence.Add(new Evidence("Current exclusions of the block policy", BlockPolicy.DescribeExclusions(current.Policy)));
        var countries = IncidentLocations.BlockableCountries(scope.Countries, current, evidence, warnings);
        if (_policy.ForeignExclusions(current.Policy, scope) is { Count: > 0 } foreign)
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
            var added = missingRanges.Sum(BlockableRanges.Size);
            var total = added + current.IpRanges.Sum(r => BlockableRanges.Size(r));
            var overCap = added > Settings.MaxAddressesPerIncident || total > Settings.MaxAddressesInPolicy;
            if (overCap)
            {
                warnings.Add($"This adds {added:N0} addresses ({total:N0} in the standing block), above the policy's caps ({Settings.MaxAddressesPerIncident:N0} per incident, "
                    + $"{Settings.MaxAddressesInPolicy:N0} in total): a second approver is required.");
            }

            changes.Add(new EnsureIpLocation(current.IpLocation?.Id ?? "new",
                $"{(current.IpLocation is null ? "Create" : "Extend")} named location \"{Settings.IpLocationName}\" with {string.Join(", ", missingRanges)}",
                missingRanges) { RequiresSecondApprover = overCap });
        }

        var missingCountries = countries.Except(current.Countries, StringComparer.OrdinalIgnoreCase).ToList();
        if (missingCountries.Count > 0)
        {
            changes.Add(new EnsureCountryLocation(current.CountryLocation?.Id ?? "new",
                $"{(current.CountryLocation is null ? "Create" : "Extend")} named location \"{Settings.CountryLocationName}\" with {string.Join(", ", missingCountries)}",
                missingCountries));
        }

        var wantsIp = ranges.Count > 0 || current.IpLocation is not null;
        var wantsCountry = countries.Count > 0 || current.CountryLocation is not null;
        var desiredState = _policy.DesiredState(current.Policy);
        if (current.Policy is null || changes.Count > 0 || !_policy.IsAsDesired(current, desiredState, wantsIp, wantsCountry, scope))
        {
            changes.Add(new EnsureBlockPolicy(current.Policy?.Id ?? "new",
                $"{(current.Policy is null ? "Create" : "Update")} Conditional Access policy \"{Settings.PolicyName}\": block all users from these locations, "
                + $"excluding exactly the {_policy.Exclusions(scope).Count} protected account(s) and nothing else; state {desiredState}",
                desiredState));
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

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ConditionalAccessState before, PlannedChange change, CancellationToken cancellationToken) =>
        change switch
        {
            EnsureIpLocation ip => await _locations.EnsureIpAsync(before, ip.Ranges, cancellationToken),
            EnsureCountryLocation country => await _locations.EnsureCountriesAsync(before, country.Countries, cancellationToken),

            // Read again: the locations the policy is conditioned on may have just been created by the changes before it.
            EnsureBlockPolicy block => await _policy.EnsureAsync(await _locations.ReadAsync(cancellationToken), block.State, step.Scope, cancellationToken),
            _ => throw new ArgumentException($"1.e has no change '{change.Kind}'.", nameof(change)),
        };

    protected internal override string Summarize(StepContext step, ConditionalAccessState before, ConditionalAccessState after, IReadOnlyList<ChangeResult> results) =>
        $"Named location(s) and policy \"{Settings.PolicyName}\" ({after.Policy?.State}) block the attacker's locations.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ConditionalAccessState before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    protected internal override object Journaled(ConditionalAccessState state) => state.Describe();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await _locations.ReadAsync(cancellationToken);
        var missing = plan.Changes.OfType<EnsureIpLocation>().SelectMany(c => c.Ranges).Except(current.IpRanges, StringComparer.OrdinalIgnoreCase)
            .Concat(plan.Changes.OfType<EnsureCountryLocation>().SelectMany(c => c.Countries).Except(current.Countries, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var state = plan.Changes.OfType<EnsureBlockPolicy>().FirstOrDefault()?.State ?? current.Policy?.State ?? ConditionalAccessPolicyState.EnabledForReportingButNotEnforced;
        if (missing.Count > 0)
        {
            return Results.Mismatch(step, $"Not in the named locations: {string.Join(", ", missing)}.");
        }

        return current.Policy is not null && _policy.IsAsDesired(current, state, current.IpLocation is not null, current.CountryLocation is not null, step.Scope)
            ? Results.Verified(step, $"Policy \"{Settings.PolicyName}\" is {current.Policy.State}, targets the incident locations and excludes exactly the protected accounts.")
            : Results.Mismatch(step, $"Policy \"{Settings.PolicyName}\" is missing or differs from the plan.");
    }

    private static bool NamesNoLocation(IncidentScope scope) => scope.Ips.Count == 0 && scope.Countries.Count == 0;

    private static string Describe(IReadOnlyList<string> ranges, IReadOnlyList<string> countries) =>
        string.Join(" and ", new[]
        {
            ranges.Count > 0 ? $"{string.Join(", ", ranges)}" : null,
            countries.Count > 0 ? $"countries {string.Join(", ", countries)}" : null,
        }.OfType<string>());
}

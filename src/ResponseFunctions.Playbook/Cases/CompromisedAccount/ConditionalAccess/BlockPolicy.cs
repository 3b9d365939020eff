using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;

/// <summary>Create or update the incident's block policy so it is exactly as 1.e wants it, in <paramref name="State"/>.</summary>
public sealed record EnsureBlockPolicy(string ResourceId, string Description, ConditionalAccessPolicyState State) : PlannedChange(ResourceId, Description);

/// <summary>
/// 1.e's block policy: all users, all applications, blocked from the incident's named locations, excluding exactly the
/// protected (break-glass) accounts and never a target of the incident. 1.e owns it: whatever someone added to it
/// (an attacker excluding the compromised user) is put back. Report-only unless policy enforces it, never downgraded.
/// </summary>
/// <remarks>Graph: POST/PATCH /identity/conditionalAccess/policies.</remarks>
public sealed class BlockPolicy(GraphServiceClient graph, IOptions<ContainmentPolicy> policy)
{
    private ConditionalAccessHardening Settings => policy.Value.ConditionalAccess;

    /// <summary>Never downgrades: a policy someone already enforces stays enforced even when this playbook is set to report-only.</summary>
    public ConditionalAccessPolicyState DesiredState(ConditionalAccessPolicy? existing) =>
        Settings.Enforce || existing?.State == ConditionalAccessPolicyState.Enabled
            ? ConditionalAccessPolicyState.Enabled
            : ConditionalAccessPolicyState.EnabledForReportingButNotEnforced;

    /// <summary>The protected accounts, minus any the incident names: a target is never excluded from the block.</summary>
    public List<string> Exclusions(IncidentScope scope) =>
        [.. policy.Value.ProtectedPrincipals.Where(p => !scope.Users.Any(u => string.Equals(u.Id, p, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>What the existing policy excludes beyond the protected accounts: removed by the next write.</summary>
    public List<string> ForeignExclusions(ConditionalAccessPolicy? existing, IncidentScope scope)
    {
        var users = existing?.Conditions?.Users;
        var allowed = Exclusions(scope);
        return [.. (users?.ExcludeUsers ?? []).Where(u => !allowed.Contains(u, StringComparer.OrdinalIgnoreCase)).Select(u => $"user {u}")
            .Concat((users?.ExcludeGroups ?? []).Select(g => $"group {g}"))
            .Concat((users?.ExcludeRoles ?? []).Select(r => $"role {r}"))];
    }

    public static string DescribeExclusions(ConditionalAccessPolicy? existing)
    {
        var users = existing?.Conditions?.Users;
        var all = (users?.ExcludeUsers ?? []).Select(u => $"user {u}").Concat((users?.ExcludeGroups ?? []).Select(g => $"group {g}"))
            .Concat((users?.ExcludeRoles ?? []).Select(r => $"role {r}")).ToList();
        return existing is null ? "no policy yet" : all.Count == 0 ? "none" : string.Join(", ", all);
    }

    public bool IsAsDesired(ConditionalAccessState current, ConditionalAccessPolicyState state, bool needsIp, bool needsCountry, IncidentScope scope)
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

    /// <summary>Writes the policy as desired over the locations as they are now (created by the changes before this one).</summary>
    public async Task<ChangeOutcome> EnsureAsync(ConditionalAccessState current, ConditionalAccessPolicyState state, IncidentScope scope, CancellationToken cancellationToken)
    {
        if (current.Policy is not null && IsAsDesired(current, state, current.IpLocation is not null, current.CountryLocation is not null, scope))
        {
            return ChangeOutcome.AlreadyDone;
        }

        var locations = new[] { current.IpLocation?.Id, current.CountryLocation?.Id }.OfType<string>()
            .Union(current.Policy?.Conditions?.Locations?.IncludeLocations ?? [], StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locations.Count == 0)
        {
            // A block policy without a location condition would block every sign-in from everywhere.
            throw new ChangeRefusedException("RefusedBySafetyRule",
                "No named location to condition the block policy on: a policy without one would block every sign-in. Plan again.");
        }

        var desired = new ConditionalAccessPolicy
        {
            DisplayName = Settings.PolicyName,
            State = state,
            Conditions = new ConditionalAccessConditionSet
            {
                Users = new ConditionalAccessUsers { IncludeUsers = ["All"], ExcludeUsers = Exclusions(scope), ExcludeGroups = [], ExcludeRoles = [] },
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

        return ChangeOutcome.Done;
    }
}

using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>Refuses a policy that would be unsafe or ambiguous, naming every problem, so a host fails at start-up rather than mid-incident.</summary>
public sealed class ContainmentPolicyValidator : IValidateOptions<ContainmentPolicy>
{
    public ValidateOptionsResult Validate(string? name, ContainmentPolicy options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>
    /// A step that needs two people must never run on the policy's word alone: pre-approving it, or applying it when
    /// nobody decides, would turn the two-person rule into none.
    /// </summary>
    private static IEnumerable<string> TwoPersonBypasses(ContainmentPolicy policy)
    {
        var twoPerson = policy.TwoPersonActions.Select(Approval.TwoPersonRule.Normalize).ToHashSet(StringComparer.Ordinal);
        foreach (var id in policy.PreApprovedActions.Where(id => twoPerson.Contains(Approval.TwoPersonRule.Normalize(id))))
        {
            yield return $"{nameof(policy.PreApprovedActions)}: '{id}' needs two approvers ({nameof(policy.TwoPersonActions)}); it cannot also be pre-approved.";
        }

        foreach (var (key, _) in policy.TimeoutPolicy.Where(r => r.Value.OnTimeout == Approval.TimeoutAction.Apply && twoPerson.Contains(Approval.TwoPersonRule.Normalize(r.Key))))
        {
            yield return $"TimeoutPolicy[{key}]: '{key}' needs two approvers ({nameof(policy.TwoPersonActions)}); it cannot be applied on timeout.";
        }
    }

    public static IReadOnlyList<string> Problems(ContainmentPolicy policy)
    {
        var problems = new List<string>();
        if (policy.ApprovalTimeout < TimeSpan.FromMinutes(1) || policy.ApprovalTimeout > TimeSpan.FromDays(7))
        {
            problems.Add($"{nameof(policy.ApprovalTimeout)} must be between 1 minute and 7 days (was {policy.ApprovalTimeout}).");
        }

        foreach (var id in policy.PreApprovedActions)
        {
            if (!ActionId.TryParse(id, out var actionId) || !ActionCatalog.Contains(actionId))
            {
                problems.Add($"{nameof(policy.PreApprovedActions)}: '{id}' is not an action of the catalog.");
            }
        }

        foreach (var id in policy.TwoPersonActions.Where(id => !Approval.TwoPersonRule.Eligible.Contains(Approval.TwoPersonRule.Normalize(id))))
        {
            problems.Add($"{nameof(policy.TwoPersonActions)}: '{id}' is not a tier-0 action ({string.Join(", ", Approval.TwoPersonRule.Eligible)}).");
        }

        problems.AddRange(Approval.TimeoutRules.Problems(policy.TimeoutPolicy));
        problems.AddRange(TwoPersonBypasses(policy));
        if (policy.IntakeLimits.MaxTargetsPerList is < 1 or > 1000
            || (policy.IntakeLimits.MassCompromiseMaxTargetsPerList != 0 && policy.IntakeLimits.MassCompromiseMaxTargetsPerList <= policy.IntakeLimits.MaxTargetsPerList)
            || policy.IntakeLimits.MassCompromiseMaxTargetsPerList > IntakeLimits.MassCompromiseCeiling)
        {
            problems.Add($"IntakeLimits: MaxTargetsPerList must be 1 to 1000, and MassCompromiseMaxTargetsPerList 0 (off) or above it, at most {IntakeLimits.MassCompromiseCeiling}.");
        }

        RequireObjectIds(policy.ProtectedPrincipals, nameof(policy.ProtectedPrincipals), problems);
        if (policy.PlaybookIdentityObjectId is { } self && !Guid.TryParse(self, out _))
        {
            problems.Add($"{nameof(policy.PlaybookIdentityObjectId)} must be an object id (GUID).");
        }

        foreach (var entry in policy.RoleBaseline)
        {
            if (!Guid.TryParse(entry.RoleDefinitionId, out _))
            {
                problems.Add($"{nameof(policy.RoleBaseline)}: '{entry.RoleDefinitionId}' is not a role definition id (GUID).");
            }

            RequireObjectIds(entry.Principals, $"{nameof(policy.RoleBaseline)}[{entry.RoleName ?? entry.RoleDefinitionId}]", problems);
        }

        if (policy.RoleBaseline.GroupBy(e => e.RoleDefinitionId, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            problems.Add($"{nameof(policy.RoleBaseline)} lists a role more than once; merge its principals.");
        }

        ApplicationProblems(policy, problems);

        if (policy.ConditionalAccess.Enforce && policy.ProtectedPrincipals.Count == 0)
        {
            problems.Add("ConditionalAccess.Enforce blocks sign-ins for all users: list the break-glass accounts in ProtectedPrincipals first.");
        }

        foreach (var (value, field) in new[]
                 {
                     (policy.ConditionalAccess.IpLocationName, "ConditionalAccess.IpLocationName"),
                     (policy.ConditionalAccess.CountryLocationName, "ConditionalAccess.CountryLocationName"),
                     (policy.ConditionalAccess.PolicyName, "ConditionalAccess.PolicyName"),
                     (policy.ActorName, nameof(policy.ActorName)),
                 })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 256)
            {
                problems.Add($"{field} must be 1 to 256 characters.");
            }
        }

        MailContainmentRules.AddProblems(policy.Mail, problems);
        ResourceProblems(policy.Resources, problems);
        return problems;
    }

    /// <summary>Case 3 settings: forensic ranges are CIDRs (they become NSG and access-restriction rules), a GUID workspace, a sane delay.</summary>
    private static void ResourceProblems(ResourceContainment resources, List<string> problems)
    {
        for (var i = 0; i < resources.ForensicSourceRanges.Count; i++)
        {
            if (BlockableRanges.Normalize(resources.ForensicSourceRanges[i]) is null)
            {
                problems.Add($"Resources.ForensicSourceRanges[{i}] '{resources.ForensicSourceRanges[i]}' is not an IP address or CIDR range.");
            }
        }

        if (resources.AlertWorkspaceId is { } workspace && !Guid.TryParse(workspace, out _))
        {
            problems.Add($"Resources.AlertWorkspaceId '{workspace}' is not a workspace id (GUID).");
        }

        if (resources.AlertRecheckDelay < TimeSpan.Zero || resources.AlertRecheckDelay > TimeSpan.FromDays(1))
        {
            problems.Add("Resources.AlertRecheckDelay must be between 00:00:00 and 1.00:00:00.");
        }

        foreach (var secret in resources.GeneratedSecrets.Where(s => s.Split('/') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            problems.Add($"Resources.GeneratedSecrets '{secret}' must be \"{{vault}}/{{secret}}\".");
        }
    }

    /// <summary>Case 2 settings: every id a GUID, one baseline per application, a usable consent configuration.</summary>
    private static void ApplicationProblems(ContainmentPolicy policy, List<string> problems)
    {
        foreach (var baseline in policy.ApplicationBaselines)
        {
            var field = $"{nameof(policy.ApplicationBaselines)}[{baseline.DisplayName ?? baseline.AppId}]";
            if (!Guid.TryParse(baseline.AppId, out _))
            {
                problems.Add($"{field}: AppId '{baseline.AppId}' is not an application id (GUID).");
            }

            RequireObjectIds(baseline.Owners, $"{field}.Owners", problems);
            RequireObjectIds(baseline.ServicePrincipalOwners, $"{field}.ServicePrincipalOwners", problems);
            RequireObjectIds(baseline.AssignedPrincipals, $"{field}.AssignedPrincipals", problems);
            RequireObjectIds(baseline.Credentials, $"{field}.Credentials", problems);
            foreach (var role in baseline.ScopedRoles)
            {
                if (!Guid.TryParse(role.RoleDefinitionId, out _))
                {
                    problems.Add($"{field}.ScopedRoles: '{role.RoleDefinitionId}' is not a role definition id (GUID).");
                }

                RequireObjectIds(role.Principals, $"{field}.ScopedRoles[{role.RoleName ?? role.RoleDefinitionId}]", problems);
            }
        }

        if (policy.ApplicationBaselines.GroupBy(b => b.AppId, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            problems.Add($"{nameof(policy.ApplicationBaselines)} lists an application more than once; merge its entries.");
        }

        RequireObjectIds(policy.Consent.Reviewers, "Consent.Reviewers", problems);
        if (policy.Consent.RequestDurationInDays is < 1 or > 30)
        {
            problems.Add($"Consent.RequestDurationInDays must be between 1 and 30 (was {policy.Consent.RequestDurationInDays}).");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(policy.Consent.UserConsentPolicy ?? "", "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))
        {
            problems.Add("Consent.UserConsentPolicy must be a permission grant policy id, e.g. microsoft-user-default-low.");
        }
    }

    private static void RequireObjectIds(IEnumerable<string> ids, string field, List<string> problems)
    {
        foreach (var id in ids.Where(id => !Guid.TryParse(id, out _)))
        {
            problems.Add($"{field}: '{id}' is not an object id (GUID).");
        }
    }
}

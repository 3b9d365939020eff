using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// The safety rules no approval can override: protected (break-glass) principals and the playbook's own identity are
/// never changed, and no change may leave the tenant with fewer than two trusted, enabled Global Administrators
/// (the sheet's prerequisite "au moins deux comptes de confiance avec le rôle Administrateur général").
/// Every action asks before planning a change and again right before applying it.
/// </summary>
public sealed class TenantGuard(GlobalAdministratorList administrators, IOptions<ContainmentPolicy> policy, ITenantGuardLedger ledger, TimeProvider time)
{
    public const int MinimumTrustedGlobalAdministrators = 2;

    public bool IsProtected(string objectId) =>
        policy.Value.ProtectedPrincipals.Contains(objectId, StringComparer.OrdinalIgnoreCase);

    /// <summary>Refuses any change to a protected principal or to the playbook's own identity.</summary>
    public GuardVerdict CheckPrincipal(ActionTarget target)
    {
        if (IsProtected(target.Id))
        {
            return GuardVerdict.Refuse($"{target.Name} is a protected principal (break-glass): the playbook never changes it.");
        }

        if (string.Equals(policy.Value.PlaybookIdentityObjectId, target.Id, StringComparison.OrdinalIgnoreCase))
        {
            return GuardVerdict.Refuse($"{target.Name} is the identity the playbook runs as: containing it would stop the containment.");
        }

        return GuardVerdict.Allow();
    }

    /// <summary>Refuses any change to an Azure resource the policy protects (the playbook's own resources).</summary>
    public GuardVerdict CheckResource(ActionTarget target) =>
        policy.Value.Resources.IsProtected(target.Id)
            ? GuardVerdict.Refuse($"{target.Name} is one of the playbook's protected resources (Resources.ProtectedResources): it is never isolated nor rotated.")
            : GuardVerdict.Allow();

    /// <summary>
    /// Refuses any change to the application approvers sign in with (by appId or service principal object id): disabling
    /// it, removing its assignments or owners would leave nobody able to approve, or let an attacker choose who can.
    /// </summary>
    public GuardVerdict CheckApplication(ActionTarget target, string? appId)
    {
        var principal = CheckPrincipal(target);
        if (!principal.Allowed)
        {
            return principal;
        }

        var approvalApp = policy.Value.ApprovalApplicationId;
        return approvalApp is { Length: > 0 }
            && (string.Equals(approvalApp, appId, StringComparison.OrdinalIgnoreCase) || string.Equals(approvalApp, target.Id, StringComparison.OrdinalIgnoreCase))
                ? GuardVerdict.Refuse($"{target.Name} is the application approvers sign in with: the playbook never disables it, nor changes its assignments or owners.")
                : GuardVerdict.Allow();
    }

    /// <summary>
    /// For a change that takes Global Administrator power away from <paramref name="target"/> (locks it out or removes
    /// the role): allowed only if at least two enabled Global Administrators remain that this incident does not name.
    /// Whether the target is a Global Administrator at all is answered from a list at most
    /// <see cref="GlobalAdministratorList.Lifetime"/> old; when it is, the administrators are counted on a fresh read.
    /// </summary>
    public async Task<GuardVerdict> CheckGlobalAdministratorLossAsync(ActionTarget target, IncidentScope scope, CancellationToken cancellationToken)
    {
        var principal = CheckPrincipal(target);
        if (!principal.Allowed)
        {
            return principal;
        }

        if (!HoldsRole(await administrators.RecentAsync(cancellationToken), target))
        {
            return GuardVerdict.Allow();
        }

        // The decision that can lock the tenant out is made on the list as it is now.
        var admins = await administrators.FreshAsync(cancellationToken);
        if (!HoldsRole(admins, target))
        {
            return GuardVerdict.Allow();
        }

        // Untrusted: this incident's users, every user an open containment names, and every admin this playbook just reset or wiped.
        var untrusted = scope.Users.Select(u => u.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        untrusted.UnionWith(await ledger.UntrustedAsync(time.GetUtcNow(), cancellationToken));
        untrusted.Add(target.Id);
        var trusted = admins.Where(a => a.AccountEnabled == true && !untrusted.Contains(a.Id!)).Select(a => a.UserPrincipalName ?? a.Id!).Order().ToList();
        var evidence = new Evidence("Trusted Global Administrators remaining", trusted.Count == 0 ? "none" : string.Join(", ", trusted));
        return trusted.Count >= MinimumTrustedGlobalAdministrators
            ? GuardVerdict.Allow(evidence)
            : GuardVerdict.Refuse(
                $"{target.Name} is a Global Administrator and only {trusted.Count} trusted, enabled Global Administrator(s) would remain; "
                + $"the playbook keeps at least {MinimumTrustedGlobalAdministrators}. Secure another administrator first.",
                evidence);
    }

    private static bool HoldsRole(IEnumerable<Microsoft.Graph.Models.User> admins, ActionTarget target) =>
        admins.Any(a => string.Equals(a.Id, target.Id, StringComparison.OrdinalIgnoreCase));
}

public sealed record GuardVerdict(bool Allowed, string? Reason, IReadOnlyList<Evidence> Evidence)
{
    public static GuardVerdict Allow(params Evidence[] evidence) => new(true, null, evidence);

    public static GuardVerdict Refuse(string reason, params Evidence[] evidence) => new(false, reason, evidence);
}

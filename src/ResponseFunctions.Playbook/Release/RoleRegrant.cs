using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// Re-grant one directory role 1.f or 2.d removed, the way it was held: an active assignment, a PIM eligibility, or
/// membership of the role-assignable group that carries it, at the journaled scope. It was outside the role baseline, so
/// it always needs two distinct approvers (<see cref="PlannedChange.RequiresSecondApprover"/>), Global Administrator included.
/// </summary>
/// <param name="PrincipalId">The user or service principal the role is given back to.</param>
/// <param name="Grant">"active", "eligible" or "group".</param>
/// <param name="GroupId">The role-assignable group, for a role held through one.</param>
public sealed record RegrantRole(string ResourceId, string Description, string PrincipalId, string Grant, string RoleDefinitionId, string RoleName, string DirectoryScopeId, string? GroupId)
    : PlannedChange(ResourceId, Description);

/// <summary>
/// The release of 1.f and 2.d, item by item: one step per removed grant, planned from the journaled removal against the
/// roles the principal holds now (one held again since is left as it is), applied only after two distinct people approved.
/// </summary>
/// <remarks>Graph: POST /roleManagement/directory/roleAssignments (active), POST roleEligibilityScheduleRequests
/// (adminAssign, no expiration), POST /groups/{id}/members/$ref (role-assignable group); reads as <see cref="RoleGrants"/>.
/// Sources: Graph v1.0 "Create unifiedRoleAssignment", "Create roleEligibilityScheduleRequests" (action adminAssign,
/// scheduleInfo.expiration.type noExpiration), "Add members" (group members/$ref); ../shared/reference/microsoft-apis.md §1.f.</remarks>
public sealed class RoleRegrant(GraphServiceClient graph, RoleGrants roles, IOptions<ContainmentPolicy> policy, TimeProvider time)
{
    private const string Justification = "Release of an incident containment: role re-granted after two approvals";

    private static readonly Dictionary<string, string> Grants = new(StringComparer.Ordinal)
    {
        ["remove-role-assignment"] = "active",
        ["remove-role-eligibility"] = "eligible",
        ["remove-group-membership"] = "group",
    };

    /// <summary>"remove-role-assignment:{id}" for each grant the containment removed.</summary>
    public static IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Where(c => Grants.ContainsKey(c.Kind)).Select(c => $"{c.Kind}:{c.ResourceId}").Distinct(StringComparer.OrdinalIgnoreCase)];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, bool throughGroups, CancellationToken cancellationToken)
    {
        var removed = Removed(original, step.Item!);
        var change = ChangeFor(step, removed);
        var held = await roles.ReadAsync(step.Target.Id, throughGroups, cancellationToken);
        var inBaseline = policy.Value.AllowsRole(change.RoleDefinitionId, step.Target.Id);
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Removed by the containment", $"{change.Grant} {change.RoleName} (scope {change.DirectoryScopeId}){(change.GroupId is { } g ? $" through group {g}" : string.Empty)}"),
            new("Role baseline now", inBaseline ? "the role is in the baseline now" : "NOT in the baseline"),
            new("Approvals", "two distinct signed-in approvers (a role re-granted outside the baseline)"),
        };
        if (held.Any(h => Holds(h, change)))
        {
            return Plans.NothingToDo(step.Step, $"{step.Target.Name} holds {change.RoleName} again since the containment: left as it is.", evidence, Snapshot.Of(held),
                ["Changed since the containment: the role is held again. Nothing is granted."]);
        }

        var warnings = new List<string>();
        if (!inBaseline)
        {
            warnings.Add($"{change.RoleName} is outside the role baseline: add it to Containment:RoleBaseline if it is legitimate, or a later containment removes it again.");
        }

        if (change.Grant == "eligible")
        {
            warnings.Add("The eligibility is re-created without expiration (the journal does not keep the original's end date): set one in PIM if it had one.");
        }

        if (string.Equals(change.RoleDefinitionId, DirectoryReader.GlobalAdministratorRoleId, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add("Global Administrator: the tenant's highest role. Check with the user's manager that it is meant, before the second approval.");
        }

        return Plans.Change(step.Step, $"Re-grant {change.RoleName} to {step.Target.Name} ({change.Grant}, scope {change.DirectoryScopeId}), after two approvals.",
            evidence, [change], warnings, Snapshot.Of(held));
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, ActionPlan plan, bool throughGroups, CancellationToken cancellationToken)
    {
        var change = (RegrantRole)plan.Changes.Single();
        var before = await roles.ReadAsync(step.Target.Id, throughGroups, cancellationToken);
        var result = await Results.RunChangeAsync(change, async () =>
        {
            if (before.Any(h => Holds(h, change)))
            {
                return ChangeOutcome.AlreadyDone;
            }

            await GrantAsync(change, cancellationToken);
            return ChangeOutcome.Done;
        });
        var after = await roles.ReadAsync(step.Target.Id, throughGroups, cancellationToken);
        return Results.From(step.Step, [result], change.Description, Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, ActionPlan plan, bool throughGroups, CancellationToken cancellationToken)
    {
        var change = (RegrantRole)plan.Changes.Single();
        return (await roles.ReadAsync(step.Target.Id, throughGroups, cancellationToken)).Any(h => Holds(h, change))
            ? Results.Verified(step.Step, $"{step.Target.Name} holds {change.RoleName} ({change.Grant}, scope {change.DirectoryScopeId}) again.")
            : Results.Mismatch(step.Step, $"Not held: {change.Description}.");
    }

    private async Task GrantAsync(RegrantRole change, CancellationToken cancellationToken)
    {
        switch (change.Grant)
        {
            case "active":
                await graph.RoleManagement.Directory.RoleAssignments.PostAsync(
                    new UnifiedRoleAssignment { PrincipalId = change.PrincipalId, RoleDefinitionId = change.RoleDefinitionId, DirectoryScopeId = change.DirectoryScopeId },
                    cancellationToken: cancellationToken);
                break;
            case "eligible":
                await graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(
                    new UnifiedRoleEligibilityScheduleRequest
                    {
                        Action = UnifiedRoleScheduleRequestActions.AdminAssign,
                        PrincipalId = change.PrincipalId,
                        RoleDefinitionId = change.RoleDefinitionId,
                        DirectoryScopeId = change.DirectoryScopeId,
                        Justification = Justification,
                        ScheduleInfo = new RequestSchedule { StartDateTime = time.GetUtcNow(), Expiration = new ExpirationPattern { Type = ExpirationPatternType.NoExpiration } },
                    },
                    cancellationToken: cancellationToken);
                break;
            default:
                await graph.Groups[change.GroupId].Members.Ref.PostAsync(
                    new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{change.PrincipalId}" }, cancellationToken: cancellationToken);
                break;
        }
    }

    private static bool Holds(HeldRole held, RegrantRole change) => change.Grant switch
    {
        "group" => held.Kind == HeldKind.ViaGroup && string.Equals(held.Id, change.GroupId, StringComparison.OrdinalIgnoreCase),
        _ => held.Kind == (change.Grant == "eligible" ? HeldKind.Eligible : HeldKind.Active)
            && string.Equals(held.RoleDefinitionId, change.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(held.DirectoryScopeId, change.DirectoryScopeId, StringComparison.OrdinalIgnoreCase),
    };

    private static List<OriginalChange> Removed(OriginalStep original, string item) =>
        [.. original.Done.Where(c => string.Equals($"{c.Kind}:{c.ResourceId}", item, StringComparison.OrdinalIgnoreCase))];

    private static RegrantRole ChangeFor(ReleaseStep step, List<OriginalChange> removed)
    {
        var first = removed.FirstOrDefault() ?? throw new InvalidOperationException($"The containment entry has no removal '{step.Item}'.");
        var grant = Grants[first.Kind];
        var roleName = string.Join(", ", removed.Select(r => r.Values.GetValueOrDefault("roleName") ?? r.Parameter("roleDefinitionId")).Distinct(StringComparer.Ordinal));
        var scope = first.Values.GetValueOrDefault("directoryScopeId") ?? "/";
        var description = grant switch
        {
            "active" => $"Re-grant the active {roleName} assignment of {step.Target.Name} (scope {scope})",
            "eligible" => $"Re-grant the PIM eligibility of {step.Target.Name} for {roleName} (scope {scope})",
            _ => $"Add {step.Target.Name} back to the role-assignable group {first.ResourceId} that grants {roleName}",
        };
        return new RegrantRole(step.Target.Id, description, step.Target.Id, grant, first.Parameter("roleDefinitionId"), roleName, scope, grant == "group" ? first.ResourceId : null)
        {
            RequiresSecondApprover = true,
        };
    }
}

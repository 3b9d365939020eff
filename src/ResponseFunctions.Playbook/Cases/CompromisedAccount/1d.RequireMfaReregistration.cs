using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.d — Require MFA re-registration: delete every authentication method but the password, each through its
/// type-specific endpoint, so whatever the attacker registered is gone and the user registers again. The service
/// refuses to delete the default method while others remain and we cannot read which one is default in v1.0, so a
/// method refused for that reason is retried after the others.
/// </summary>
/// <remarks>Graph: GET /users/{id}/authentication/methods, DELETE /users/{id}/authentication/{type}Methods/{id}.
/// Needs UserAuthenticationMethod.ReadWrite.All.</remarks>
public sealed class RequireMfaReregistration(GraphServiceClient graph, TenantGuard guard) : IContainmentAction
{
    private const string DeleteMethod = "delete-method";

    public ActionId Id { get; } = ActionId.Parse("1.d");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var methods = await ListAsync(step.Target.Id, cancellationToken);
        var evidence = new List<Evidence>(verdict.Evidence);
        evidence.AddRange(methods.Select(m => new Evidence("Registered method", AuthenticationMethodKinds.Describe(m))));
        var removable = methods.Where(m => !AuthenticationMethodKinds.IsPassword(m) && AuthenticationMethodKinds.Of(m) is not null)
            .OrderBy(AuthenticationMethodKinds.DeletionRank)
            .ToList();
        var warnings = methods.Where(m => !AuthenticationMethodKinds.IsPassword(m) && AuthenticationMethodKinds.Of(m) is null)
            .Select(m => $"{m.OdataType} ({m.Id}) cannot be deleted through Graph v1.0: remove it in the Entra admin center.")
            .ToList();
        if (removable.Count == 0)
        {
            return Plans.NothingToDo(step, $"{step.Target.Name} has no authentication method besides the password.", evidence, Snapshot.Of(Describe(methods)), warnings);
        }

        warnings.Add("The user must register MFA again at next sign-in; issue a temporary access pass once their identity is checked.");
        return Plans.Change(
            step,
            $"Delete {removable.Count} authentication method(s) of {step.Target.Name}, keeping only the password.",
            evidence,
            [.. removable.Select(m => new PlannedChange(DeleteMethod, m.Id!, $"Delete {AuthenticationMethodKinds.Describe(m)}",
                new Dictionary<string, string> { ["segment"] = AuthenticationMethodKinds.Of(m)!.Value.Segment }))],
            warnings,
            Snapshot.Of(Describe(methods)));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var userId = step.Target.Id;
        var before = await ListAsync(userId, cancellationToken);
        var present = before.Select(m => m.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var results = new Dictionary<PlannedChange, ChangeResult>();
        var deferred = new List<PlannedChange>();

        foreach (var change in plan.Changes.Where(c => c.Kind == DeleteMethod))
        {
            if (!present.Contains(change.ResourceId))
            {
                results[change] = new ChangeResult(change, ChangeOutcome.AlreadyDone);
                continue;
            }

            var result = await TryDeleteAsync(userId, change, cancellationToken);
            if (result.Outcome == ChangeOutcome.Failed && result.Error?.Kind == ErrorKind.BadRequest)
            {
                deferred.Add(change); // most likely the default method: it can go once it is the last one
                continue;
            }

            results[change] = result;
        }

        foreach (var change in deferred)
        {
            results[change] = await TryDeleteAsync(userId, change, cancellationToken);
        }

        var after = await ListAsync(userId, cancellationToken);
        return Results.From(step, [.. plan.Changes.Select(c => results[c])],
            $"{results.Values.Count(r => r.Outcome == ChangeOutcome.Done)} method(s) deleted; {after.Count} remain ({string.Join(", ", after.Select(AuthenticationMethodKinds.Describe))}).",
            Snapshot.Of(Describe(before)), Snapshot.Of(Describe(after)));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var remaining = (await ListAsync(step.Target.Id, cancellationToken)).Where(m => !AuthenticationMethodKinds.IsPassword(m)).ToList();
        return remaining.Count == 0
            ? Results.Verified(step, "Only the password remains: the user must register MFA again.")
            : Results.Mismatch(step, $"Still registered: {string.Join(", ", remaining.Select(AuthenticationMethodKinds.Describe))}.");
    }

    private async Task<ChangeResult> TryDeleteAsync(string userId, PlannedChange change, CancellationToken cancellationToken)
    {
        return await Results.RunChangeAsync(change, async () =>
        {
            await AuthenticationMethodKinds.DeleteAsync(graph, userId, change.Parameter("segment"), change.ResourceId, cancellationToken);
            return ChangeOutcome.Done;
        });
    }

    private async Task<IReadOnlyList<AuthenticationMethod>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var page = await graph.Users[userId].Authentication.Methods.GetAsync(cancellationToken: cancellationToken);
        return page?.Value ?? [];
    }

    private static IEnumerable<object> Describe(IEnumerable<AuthenticationMethod> methods) =>
        methods.Select(m => new { id = m.Id, type = m.OdataType, description = AuthenticationMethodKinds.Describe(m) });
}

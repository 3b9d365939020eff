using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Delete one authentication method through its type's endpoint (<paramref name="Segment"/>, e.g. "phoneMethods").</summary>
public sealed record DeleteAuthenticationMethod(string ResourceId, string Description, string Segment) : PlannedChange(ResourceId, Description);

/// <summary>
/// 1.d — Require MFA re-registration: delete every authentication method but the password, each through its
/// type-specific endpoint, so whatever the attacker registered is gone and the user registers again. The service
/// refuses to delete the default method while others remain and we cannot read which one is default in v1.0, so a
/// method refused for that reason is retried after the others.
/// </summary>
/// <remarks>Graph: GET /users/{id}/authentication/methods, DELETE /users/{id}/authentication/{type}Methods/{id}.
/// Permissions: the catalog row.</remarks>
public sealed class RequireMfaReregistration(GraphServiceClient graph, ChangeRunner runner) : ContainmentAction<IReadOnlyList<AuthenticationMethod>>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("1.d");

    protected internal override async Task<IReadOnlyList<AuthenticationMethod>> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        var page = await graph.Users[step.Target.Id].Authentication.Methods.GetAsync(cancellationToken: cancellationToken);
        return page?.Value ?? [];
    }

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<AuthenticationMethod> methods, GuardVerdict verdict)
    {
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
            return Plans.NothingToDo(step, $"{step.Target.Name} has no authentication method besides the password.", evidence, Snapshot.Of(Journaled(methods)), warnings);
        }

        warnings.Add("The user must register MFA again at next sign-in; issue a temporary access pass once their identity is checked.");
        return Plans.Change(
            step,
            $"Delete {removable.Count} authentication method(s) of {step.Target.Name}, keeping only the password.",
            evidence,
            [.. removable.Select(m => new DeleteAuthenticationMethod(m.Id!, $"Delete {AuthenticationMethodKinds.Describe(m)}", AuthenticationMethodKinds.Of(m)!.Value.Segment))],
            warnings,
            Snapshot.Of(Journaled(methods)));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<AuthenticationMethod> before, PlannedChange change, CancellationToken cancellationToken)
    {
        var delete = (DeleteAuthenticationMethod)change;
        if (!before.Any(m => string.Equals(m.Id, delete.ResourceId, StringComparison.OrdinalIgnoreCase)))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await AuthenticationMethodKinds.DeleteAsync(graph, step.Target.Id, delete.Segment, delete.ResourceId, cancellationToken);
        return ChangeOutcome.Done;
    }

    /// <summary>Most likely the default method: it can go once it is the last one.</summary>
    protected internal override bool RetryAfterOthers(PlannedChange change, ErrorInfo error) => error.Kind == ErrorKind.BadRequest;

    protected internal override string Summarize(StepContext step, IReadOnlyList<AuthenticationMethod> before, IReadOnlyList<AuthenticationMethod> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} method(s) deleted; {after.Count} remain ({string.Join(", ", after.Select(AuthenticationMethodKinds.Describe))}).";

    protected internal override object Journaled(IReadOnlyList<AuthenticationMethod> methods) =>
        methods.Select(m => new { id = m.Id, type = m.OdataType, description = AuthenticationMethodKinds.Describe(m) }).ToList();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var remaining = (await ReadAsync(step, cancellationToken)).Where(m => !AuthenticationMethodKinds.IsPassword(m)).ToList();
        return remaining.Count == 0
            ? Results.Verified(step, "Only the password remains: the user must register MFA again.")
            : Results.Mismatch(step, $"Still registered: {string.Join(", ", remaining.Select(AuthenticationMethodKinds.Describe))}.");
    }
}

using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>What 2.c reads: the service principal and every credential on it and on its app registration.</summary>
public sealed record AppCredentials(string ServicePrincipalId, string? AppId, string? DisplayName, CredentialState State);

/// <summary>
/// 2.c — Remove the application's secrets, certificates and federated identity credentials that its baseline does not
/// keep, on the app registration (when it is in this tenant) and on the service principal, where attackers like to hide
/// them because the App registrations blade does not show them. One class per kind of credential:
/// <see cref="Secrets"/>, <see cref="Certificates"/>, <see cref="FederatedCredentials"/>. Only key ids, names and dates are
/// journaled, never a value. Not reversible: whoever needs the application creates new credentials and delivers them
/// through its owner.
/// </summary>
/// <remarks>Graph: GET /applications?$filter=appId eq, GET /applications/{id} and /servicePrincipals/{id} with
/// $select=keyCredentials,passwordCredentials, GET …/federatedIdentityCredentials (<see cref="CredentialState"/>); the
/// removals are each kind's. Permissions: the catalog row.</remarks>
public sealed class ResetApplicationCredentials(GraphServiceClient graph, ApplicationDirectory apps, ChangeRunner runner) : ContainmentAction<AppCredentials>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.c");

    protected internal override async Task<AppCredentials> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        return new AppCredentials(sp.Id!, sp.AppId, sp.DisplayName, await CredentialState.ReadAsync(graph, apps, sp.Id!, sp.AppId, cancellationToken));
    }

    protected override ActionPlan Plan(StepContext step, AppCredentials read, GuardVerdict verdict)
    {
        var (state, keep) = (read.State, apps.Baseline(read.AppId)?.Credentials ?? []);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var credential in state.Credentials)
        {
            var kept = keep.Contains(credential.Id, StringComparer.OrdinalIgnoreCase);
            evidence.Add(new Evidence(credential.Label, $"{credential.Detail}; {(kept ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!kept)
            {
                changes.Add(credential.ToChange());
            }
        }

        evidence.Add(new Evidence("App registration in this tenant", state.ApplicationId is null ? "no (another tenant's application: only the service principal is reachable)" : state.ApplicationId));
        var warnings = new List<string>
        {
            "Access tokens already issued with these credentials stay valid until they expire (about an hour): disable the application (2.a) for an immediate stop.",
        };
        if (changes.Count > 0 && state.ApplicationId is not null)
        {
            warnings.Add("If the application must keep running, its owner creates new credentials after the containment and configures them where the app runs.");
        }

        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{read.DisplayName} has no credential outside its baseline.", evidence, Snapshot.Of(state.Describe()), warnings)
            : Plans.Change(step, $"Remove {changes.Count} credential(s) of {read.DisplayName}.", evidence, changes, warnings, Snapshot.Of(state.Describe()));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, AppCredentials before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (before.State.Find(change) is null)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await (change switch
        {
            RemoveSecret secret => Secrets.RemoveAsync(graph, secret, cancellationToken),
            RemoveFederatedCredential federated => FederatedCredentials.RemoveAsync(graph, federated, cancellationToken),
            _ => throw new ArgumentException($"2.c has no change '{change.Kind}' on its own.", nameof(change)),
        });
        return ChangeOutcome.Done;
    }

    /// <summary>Certificates go in one PATCH per object (the collection is replaced whole): the first removes every planned one.</summary>
    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ActionPlan plan, AppCredentials before, PlannedChange change, CancellationToken cancellationToken) =>
        change is RemoveCertificate certificate && before.State.Find(change) is not null
            ? Certificates.RemoveAsync(graph, certificate, [.. plan.Changes.OfType<RemoveCertificate>().Where(c => c.ObjectId == certificate.ObjectId && before.State.Find(c) is not null)], cancellationToken)
            : ApplyChangeAsync(step, before, change, cancellationToken);

    protected internal override string Summarize(StepContext step, AppCredentials before, AppCredentials after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} credential(s) removed; {after.State.Credentials.Count} remain.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, AppCredentials before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    protected internal override object Journaled(AppCredentials read) => read.State.Describe();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = (await ReadAsync(step, cancellationToken)).State;
        var left = plan.Changes.Where(c => current.Find(c) is not null).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} removed credential(s) is present.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }
}

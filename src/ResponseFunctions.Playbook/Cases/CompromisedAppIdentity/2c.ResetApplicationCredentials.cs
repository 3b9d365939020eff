using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;
using AppRemovePassword = Microsoft.Graph.Applications.Item.RemovePassword.RemovePasswordPostRequestBody;
using SpRemovePassword = Microsoft.Graph.ServicePrincipals.Item.RemovePassword.RemovePasswordPostRequestBody;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.c — Remove the application's secrets, certificates and federated identity credentials that its baseline does not
/// keep, on the app registration (when it is in this tenant) and on the service principal, where attackers like to hide
/// them because the App registrations blade does not show them. Certificates are removed by PATCHing keyCredentials with
/// the kept ones sent back with their public key (removeKey would need a proof signed by a registered certificate's
/// private key, which the playbook does not hold). Only key ids, names and dates are journaled, never a value. Not
/// reversible: whoever needs the application creates new credentials and delivers them through its owner.
/// </summary>
/// <remarks>Graph: GET /applications?$filter=appId eq, GET /applications/{id} and /servicePrincipals/{id} with
/// $select=keyCredentials,passwordCredentials; POST …/removePassword; PATCH … keyCredentials; GET/DELETE
/// …/federatedIdentityCredentials. Permissions: the catalog row.</remarks>
public sealed class ResetApplicationCredentials(GraphServiceClient graph, ApplicationDirectory apps, TenantGuard guard) : IContainmentAction
{
    private const string RemoveSecret = "remove-secret";
    private const string RemoveCertificate = "remove-certificate";
    private const string RemoveFederated = "remove-federated-credential";

    public ActionId Id { get; } = ActionId.Parse("2.c");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        var keep = apps.Baseline(sp.AppId)?.Credentials ?? [];
        var state = await ReadAsync(sp.Id!, sp.AppId, cancellationToken);
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
            ? Plans.NothingToDo(step, $"{sp.DisplayName} has no credential outside its baseline.", evidence, Snapshot.Of(state.Describe()), warnings)
            : Plans.Change(step, $"Remove {changes.Count} credential(s) of {sp.DisplayName}.", evidence, changes, warnings, Snapshot.Of(state.Describe()));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        var before = await ReadAsync(sp.Id!, sp.AppId, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes.Where(c => c.Kind != RemoveCertificate))
        {
            results.Add(await RemoveOneAsync(change, before, cancellationToken));
        }

        // Certificates go in one PATCH per object: the collection is replaced whole.
        foreach (var group in plan.Changes.Where(c => c.Kind == RemoveCertificate).GroupBy(c => (Object: Enum.Parse<AppObjectKind>(c.Parameter("object")), Id: c.Parameter("objectId"))))
        {
            results.AddRange(await RemoveCertificatesAsync(group.Key.Object, group.Key.Id, [.. group], before, cancellationToken));
        }

        var after = await ReadAsync(sp.Id!, sp.AppId, cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} credential(s) removed; {after.Credentials.Count} remain.",
            Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        var current = await ReadAsync(sp.Id!, sp.AppId, cancellationToken);
        var left = plan.Changes.Where(c => current.Find(c) is not null).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} removed credential(s) is present.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> RemoveOneAsync(PlannedChange change, CredentialState current, CancellationToken cancellationToken)
    {
        if (current.Find(change) is null)
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        var objectId = change.Parameter("objectId");
        var isApplication = Enum.Parse<AppObjectKind>(change.Parameter("object")) == AppObjectKind.Application;
        return await Results.RunChangeAsync(change, async () =>
        {
            switch (change.Kind)
            {
                case RemoveSecret when isApplication:
                    await graph.Applications[objectId].RemovePassword.PostAsync(new AppRemovePassword { KeyId = Guid.Parse(change.ResourceId) }, cancellationToken: cancellationToken);
                    break;
                case RemoveSecret:
                    await graph.ServicePrincipals[objectId].RemovePassword.PostAsync(new SpRemovePassword { KeyId = Guid.Parse(change.ResourceId) }, cancellationToken: cancellationToken);
                    break;
                case RemoveFederated when isApplication:
                    await graph.Applications[objectId].FederatedIdentityCredentials[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                    break;
                case RemoveFederated:
                    await graph.ServicePrincipals[objectId].FederatedIdentityCredentials[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"2.c cannot apply '{change.Kind}'.");
            }

            return ChangeOutcome.Done;
        });
    }

    /// <summary>Sends back every certificate not planned for removal, each with its public key, which only a $select read returns.</summary>
    private async Task<IReadOnlyList<ChangeResult>> RemoveCertificatesAsync(
        AppObjectKind kind, string objectId, IReadOnlyList<PlannedChange> changes, CredentialState current, CancellationToken cancellationToken)
    {
        var pending = changes.Where(c => current.Find(c) is not null).ToList();
        if (pending.Count == 0)
        {
            return [.. changes.Select(c => new ChangeResult(c, ChangeOutcome.AlreadyDone))];
        }

        try
        {
            var certificates = await CertificatesAsync(kind, objectId, cancellationToken);
            var removed = pending.Select(c => Guid.Parse(c.ResourceId)).ToHashSet();
            var kept = certificates.Where(k => k.KeyId is { } id && !removed.Contains(id)).Select(Resend).ToList();
            if (kind == AppObjectKind.Application)
            {
                await graph.Applications[objectId].PatchAsync(new Application { KeyCredentials = kept }, cancellationToken: cancellationToken);
            }
            else
            {
                await graph.ServicePrincipals[objectId].PatchAsync(new ServicePrincipal { KeyCredentials = kept }, cancellationToken: cancellationToken);
            }

            return [.. changes.Select(c => new ChangeResult(c, pending.Contains(c) ? ChangeOutcome.Done : ChangeOutcome.AlreadyDone))];
        }
        catch (ODataError error) when (!GraphErrors.IsTransient(error))
        {
            var info = GraphErrors.ToErrorInfo(error);
            return [.. changes.Select(c => new ChangeResult(c, pending.Contains(c) ? ChangeOutcome.Failed : ChangeOutcome.AlreadyDone, pending.Contains(c) ? info : null))];
        }
    }

    /// <summary>A new model per certificate: the SDK's backing store would send nothing for an instance it read and did not see change.</summary>
    private static KeyCredential Resend(KeyCredential k) => new()
    {
        KeyId = k.KeyId,
        Type = k.Type,
        Usage = k.Usage,
        Key = k.Key,
        DisplayName = k.DisplayName,
        StartDateTime = k.StartDateTime,
        EndDateTime = k.EndDateTime,
        CustomKeyIdentifier = k.CustomKeyIdentifier,
    };

    private async Task<IReadOnlyList<KeyCredential>> CertificatesAsync(AppObjectKind kind, string objectId, CancellationToken cancellationToken) =>
        (kind == AppObjectKind.Application
            ? (await graph.Applications[objectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken))?.KeyCredentials
            : (await graph.ServicePrincipals[objectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken))?.KeyCredentials) ?? [];

    private async Task<CredentialState> ReadAsync(string spId, string? appId, CancellationToken cancellationToken)
    {
        var credentials = new List<Credential>();
        var application = await apps.FindApplicationAsync(appId, cancellationToken);
        if (application?.Id is { } appObjectId)
        {
            var app = await graph.Applications[appObjectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials", "passwordCredentials"], cancellationToken);
            var federated = await graph.Applications[appObjectId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
            credentials.AddRange(Describe(AppObjectKind.Application, appObjectId, app?.PasswordCredentials, app?.KeyCredentials, federated?.Value));
        }

        var sp = await graph.ServicePrincipals[spId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials", "passwordCredentials"], cancellationToken);
        var spFederated = await graph.ServicePrincipals[spId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
        credentials.AddRange(Describe(AppObjectKind.ServicePrincipal, spId, sp?.PasswordCredentials, sp?.KeyCredentials, spFederated?.Value));
        return new CredentialState(application?.Id, credentials);
    }

    private static IEnumerable<Credential> Describe(
        AppObjectKind kind, string objectId, IEnumerable<PasswordCredential>? secrets, IEnumerable<KeyCredential>? certificates, IEnumerable<FederatedIdentityCredential>? federated)
    {
        foreach (var s in secrets ?? [])
        {
            yield return new Credential(kind, objectId, RemoveSecret, s.KeyId.ToString()!, s.DisplayName, s.StartDateTime, s.EndDateTime, null);
        }

        foreach (var k in certificates ?? [])
        {
            yield return new Credential(kind, objectId, RemoveCertificate, k.KeyId.ToString()!, k.DisplayName, k.StartDateTime, k.EndDateTime, $"{k.Type}, {k.Usage}");
        }

        foreach (var f in federated ?? [])
        {
            yield return new Credential(kind, objectId, RemoveFederated, f.Id!, f.Name, null, null, $"issuer {f.Issuer}, subject {f.Subject}");
        }
    }

    private sealed record CredentialState(string? ApplicationId, IReadOnlyList<Credential> Credentials)
    {
        public Credential? Find(PlannedChange change) => Credentials.FirstOrDefault(c =>
            c.Kind == change.Kind
            && string.Equals(c.Id, change.ResourceId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(c.ObjectId, change.Parameter("objectId"), StringComparison.OrdinalIgnoreCase));

        public object Describe() => new { applicationObjectId = ApplicationId, credentials = Credentials };
    }

    /// <summary>A credential's metadata: never its value (secret text, private or public key, hint).</summary>
    private sealed record Credential(
        AppObjectKind Object, string ObjectId, string Kind, string Id, string? DisplayName, DateTimeOffset? StartDateTime, DateTimeOffset? EndDateTime, string? Info)
    {
        private string What => Kind switch
        {
            RemoveSecret => "Secret",
            RemoveCertificate => "Certificate",
            _ => "Federated credential",
        };

        private string Where => Object == AppObjectKind.Application ? "app registration" : "service principal";

        public string Label => $"{What} \"{DisplayName}\" ({Id}) on the {Where}";

        public string Detail => string.Join(", ", new[]
        {
            Info,
            StartDateTime is null ? null : $"valid {StartDateTime:u} to {EndDateTime:u}",
        }.OfType<string>());

        public PlannedChange ToChange() => new UntypedChange(Kind, Id, $"Remove the {What.ToLowerInvariant()} \"{DisplayName}\" ({Id}) from the {Where}" + (Detail.Length > 0 ? $" ({Detail})" : ""),
            new Dictionary<string, string> { ["object"] = Object.ToString(), ["objectId"] = ObjectId });
    }
}

using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release.CompromisedAppIdentity;

/// <summary>The self-consent entries of permissionGrantPoliciesAssigned back to their journaled values.</summary>
public sealed record RestoreUserConsent(string ResourceId, string Description, IReadOnlyList<string> Values) : PlannedChange(ResourceId, Description);

/// <summary>The admin consent request workflow back as journaled (read from the containment entry at apply).</summary>
public sealed record RestoreAdminConsentRequests(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 2.g — put the tenant's consent settings back as journaled, item by item, each on its own approval: the
/// user consent policy (<c>permissionGrantPoliciesAssigned</c>'s self-consent entries) and the admin consent request
/// workflow. An item changed since the containment (not as 2.g left it) is not overwritten: the plan shows the difference.
/// </summary>
/// <remarks>Graph: PATCH /policies/authorizationPolicy (Policy.ReadWrite.Authorization), PUT /policies/adminConsentRequestPolicy
/// (Policy.ReadWrite.ConsentRequest), as 2.g.</remarks>
public sealed class RestoreConsentSettings(GraphServiceClient graph) : IReleaseAction
{
    private const string UserConsent = "user-consent";
    private const string AdminConsentRequests = "admin-consent-requests";
    private const string SelfPrefix = "ManagePermissionGrantsForSelf.";

    public ActionId Id { get; } = ActionId.Parse("2.g");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Select(c => c.Kind switch
        {
            "restrict-user-consent" => UserConsent,
            "enable-admin-consent-workflow" => AdminConsentRequests,
            _ => null,
        }).OfType<string>().Distinct()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (step.Item == UserConsent)
        {
            var (before, after) = (Self(Strings(original.Before, "permissionGrantPoliciesAssigned")), Self(Strings(original.After, "permissionGrantPoliciesAssigned")));
            var current = Self(now.Assigned);
            evidence.AddRange([new("Before the containment", Join(before)), new("After the containment", Join(after)), new("Now", Join(current))]);
            return !current.SequenceEqual(after, StringComparer.OrdinalIgnoreCase)
                ? Plans.NothingToDo(step.Step, "The user consent policy was changed since the containment: left as it is.", evidence, Snapshot.Of(now.Describe()),
                    [$"Changed since the containment: user consent is {Join(current)} (the containment left {Join(after)}). Nothing is overwritten."])
                : Plans.Change(step.Step, $"Restore user consent to {Join(before)}.", evidence,
                    [new RestoreUserConsent("authorizationPolicy", $"User consent back to {Join(before)} (from {Join(after)})", before)],
                    null, Snapshot.Of(now.Describe()));
        }

        var journaledBefore = OriginalStep.Property(original.Before, "adminConsentRequestPolicy");
        var journaledAfter = OriginalStep.Property(original.After, "adminConsentRequestPolicy");
        evidence.AddRange([new("Before the containment", journaledBefore?.ToString() ?? "none"), new("After the containment", journaledAfter?.ToString() ?? "none"),
            new("Now", JsonSerializer.Serialize(now.WorkflowView))]);
        var afterEnabled = OriginalStep.Property(journaledAfter, "isEnabled")?.GetBoolean();
        var afterReviewers = Strings(journaledAfter, "reviewers");
        if (now.Workflow?.IsEnabled != afterEnabled || !now.ReviewerQueries.Order().SequenceEqual(afterReviewers.Order(), StringComparer.OrdinalIgnoreCase))
        {
            return Plans.NothingToDo(step.Step, "The admin consent request workflow was changed since the containment: left as it is.", evidence, Snapshot.Of(now.Describe()),
                ["Changed since the containment: the admin consent request workflow is not as the containment left it. Nothing is overwritten."]);
        }

        var wasEnabled = OriginalStep.Property(journaledBefore, "isEnabled")?.GetBoolean() == true;
        return Plans.Change(step.Step, $"Restore the admin consent request workflow as it was (enabled: {wasEnabled.ToString().ToLowerInvariant()}).", evidence,
            [new RestoreAdminConsentRequests("adminConsentRequestPolicy",
                $"Admin consent requests back to enabled={wasEnabled.ToString().ToLowerInvariant()}, reviewers {Join(Strings(journaledBefore, "reviewers"))}")],
            null, Snapshot.Of(now.Describe()));
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var change = plan.Changes.Single();
        var result = await Results.RunChangeAsync(change, () => change is RestoreUserConsent
            ? RestoreUserConsentAsync(change, before, cancellationToken)
            : RestoreWorkflowAsync(original, before, cancellationToken));
        var after = await ReadAsync(cancellationToken);
        return Results.From(step.Step, [result], "Consent settings restored.", Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()));
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(cancellationToken);
        var change = plan.Changes.Single();
        var ok = change is RestoreUserConsent
            ? Self(now.Assigned).SequenceEqual(Wanted(change), StringComparer.OrdinalIgnoreCase)
            : now.Workflow?.IsEnabled == (OriginalStep.Property(OriginalStep.Property(original.Before, "adminConsentRequestPolicy"), "isEnabled")?.GetBoolean() == true);
        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private async Task<ChangeOutcome> RestoreUserConsentAsync(PlannedChange change, ConsentNow now, CancellationToken cancellationToken)
    {
        var wanted = Wanted(change);
        if (Self(now.Assigned).SequenceEqual(wanted, StringComparer.OrdinalIgnoreCase))
        {
            return ChangeOutcome.AlreadyDone;
        }

        // The array is replaced whole: entries that are not self-consent policies are carried over as they are now.
        await graph.Policies.AuthorizationPolicy.PatchAsync(
            new AuthorizationPolicy { DefaultUserRolePermissions = new DefaultUserRolePermissions { PermissionGrantPoliciesAssigned = [.. now.Assigned.Where(a => !IsSelf(a)), .. wanted] } },
            cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    /// <summary>PUT replaces the policy (the SDK's PATCH is answered 404), as 2.g does.</summary>
    private async Task<ChangeOutcome> RestoreWorkflowAsync(OriginalStep original, ConsentNow now, CancellationToken cancellationToken)
    {
        var before = OriginalStep.Property(original.Before, "adminConsentRequestPolicy");
        var enabled = OriginalStep.Property(before, "isEnabled")?.GetBoolean() == true;
        if (now.Workflow?.IsEnabled == enabled)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var request = graph.Policies.AdminConsentRequestPolicy.ToPatchRequestInformation(new AdminConsentRequestPolicy
        {
            IsEnabled = enabled,
            NotifyReviewers = OriginalStep.Property(before, "notifyReviewers")?.GetBoolean() ?? false,
            RemindersEnabled = OriginalStep.Property(before, "remindersEnabled")?.GetBoolean() ?? false,
            RequestDurationInDays = OriginalStep.Property(before, "requestDurationInDays")?.GetInt32() ?? 0,
            Reviewers = [.. Strings(before, "reviewers").Select(q => new AccessReviewReviewerScope { Query = q, QueryType = "MicrosoftGraph" })],
        });
        request.HttpMethod = Method.PUT;
        await graph.RequestAdapter.SendNoContentAsync(request,
            new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue }, cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ConsentNow> ReadAsync(CancellationToken cancellationToken)
    {
        var authorization = await graph.Policies.AuthorizationPolicy.GetAsync(cancellationToken: cancellationToken);
        var workflow = await graph.Policies.AdminConsentRequestPolicy.GetAsync(cancellationToken: cancellationToken);
        return new ConsentNow(authorization?.DefaultUserRolePermissions?.PermissionGrantPoliciesAssigned?.OfType<string>().ToList() ?? [], workflow);
    }

    private static IReadOnlyList<string> Wanted(PlannedChange change) => ((RestoreUserConsent)change).Values;

    private static bool IsSelf(string entry) => entry.StartsWith(SelfPrefix, StringComparison.OrdinalIgnoreCase);

    private static List<string> Self(IEnumerable<string> assigned) => [.. assigned.Where(IsSelf).Order(StringComparer.OrdinalIgnoreCase)];

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "(none)" : string.Join(", ", values);

    private static IReadOnlyList<string> Strings(JsonElement? state, string name) =>
        OriginalStep.Property(state, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray().Select(e => e.GetString()).OfType<string>()] : [];

    private sealed record ConsentNow(IReadOnlyList<string> Assigned, AdminConsentRequestPolicy? Workflow)
    {
        public IReadOnlyList<string> ReviewerQueries { get; } = [.. (Workflow?.Reviewers ?? []).Select(r => r.Query).OfType<string>()];

        public object? WorkflowView => Workflow is null ? null : new { isEnabled = Workflow.IsEnabled, reviewers = ReviewerQueries, requestDurationInDays = Workflow.RequestDurationInDays };

        public object Describe() => new { permissionGrantPoliciesAssigned = Assigned, adminConsentRequestPolicy = WorkflowView };
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.g — Make admin consent the rule for new third-party applications: users keep consent only for low-impact
/// permissions (every ManagePermissionGrantsForSelf.* entry is replaced by the configured policy, other entries such as
/// ManagePermissionGrantsForOwnedResource.* stay), and the admin consent request workflow is switched on with the
/// configured reviewers (required: without reviewers the workflow cannot be enabled, so the step does not plan).
/// Reversible: the journal keeps both policies as they were.
/// </summary>
/// <remarks>Graph: GET/PATCH /policies/authorizationPolicy (Policy.ReadWrite.Authorization); GET/PUT
/// /policies/adminConsentRequestPolicy (Policy.ReadWrite.ConsentRequest). The service has no PATCH for the latter although
/// the SDK's PatchAsync sends one (404): the PUT is built from the SDK's request and sent through its adapter.
/// Reviewers are read with GET /users/{id} (User.Read.All).</remarks>
public sealed class RequireAdminConsent(GraphServiceClient graph, ApplicationDirectory apps, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string SelfPrefix = "ManagePermissionGrantsForSelf.";
    private const string RestrictUserConsent = "restrict-user-consent";
    private const string EnableWorkflow = "enable-admin-consent-workflow";

    public ActionId Id { get; } = ActionId.Parse("2.g");

    private ConsentHardening Settings => policy.Value.Consent;

    private string DesiredSelfPolicy => SelfPrefix + Settings.UserConsentPolicy;

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var reviewers = new List<string>();
        foreach (var id in Settings.Reviewers)
        {
            if ((await apps.FindUserAsync(id, cancellationToken))?.UserPrincipalName is not { } upn)
            {
                return Plans.Failed(step, new ErrorInfo(ErrorKind.NotFound, "policy-reviewer-unknown", $"Consent.Reviewers: no user {id} in the tenant."),
                    $"2.g cannot enable admin consent requests: the reviewer {id} is not a user of this tenant.");
            }

            reviewers.Add(upn);
        }

        if (reviewers.Count == 0)
        {
            return Plans.Failed(step, new ErrorInfo(ErrorKind.BadRequest, "policy-incomplete", "Consent.Reviewers is empty."),
                "2.g needs the admin consent reviewers: list their object ids in Consent.Reviewers (the workflow cannot be enabled without them).");
        }

        var current = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence>
        {
            new("User consent policies", string.Join(", ", current.Assigned)),
            new("Admin consent workflow", current.Workflow?.IsEnabled == true ? $"enabled, reviewers {string.Join(", ", current.ReviewerQueries)}" : "disabled"),
            new("Configured reviewers", string.Join(", ", reviewers)),
        };
        var changes = new List<PlannedChange>();
        if (!UserConsentIsRestricted(current.Assigned))
        {
            changes.Add(new UntypedChange(RestrictUserConsent, "authorizationPolicy",
                $"User consent: replace {string.Join(", ", current.Assigned.Where(IsSelf).DefaultIfEmpty("(none)"))} by {DesiredSelfPolicy}, keep {current.Assigned.Count(a => !IsSelf(a))} other entr(ies)"));
        }

        if (!WorkflowIsEnabled(current))
        {
            changes.Add(new UntypedChange(EnableWorkflow, "adminConsentRequestPolicy",
                $"Enable admin consent requests, reviewed by {string.Join(", ", reviewers)}, open {Settings.RequestDurationInDays} days"));
        }

        var warnings = new List<string> { "Consents already granted stay: 2.b revokes those of the applications the incident names." };
        return changes.Count == 0
            ? Plans.NothingToDo(step, "User consent is limited and admin consent requests are enabled.", evidence, Snapshot.Of(current.Describe()), warnings)
            : Plans.Change(step, "Require admin consent for new third-party applications.", evidence, changes, warnings, Snapshot.Of(current.Describe()));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            try
            {
                results.Add(change.Kind switch
                {
                    RestrictUserConsent => await RestrictAsync(change, before, cancellationToken),
                    EnableWorkflow => await EnableAsync(change, before, cancellationToken),
                    _ => throw new InvalidOperationException($"2.g cannot apply '{change.Kind}'."),
                });
            }
            catch (ODataError error) when (error.ResponseStatusCode is not (429 or >= 500))
            {
                results.Add(new ChangeResult(change, ChangeOutcome.Failed, Graph.GraphErrors.ToErrorInfo(error)));
            }
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, "Consent settings hardened.", Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var wrong = plan.Changes.Where(c => c.Kind == RestrictUserConsent ? !UserConsentIsRestricted(current.Assigned) : !WorkflowIsEnabled(current)).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, $"User consent: {string.Join(", ", current.Assigned)}; admin consent requests enabled.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> RestrictAsync(PlannedChange change, ConsentState current, CancellationToken cancellationToken)
    {
        if (UserConsentIsRestricted(current.Assigned))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        // Re-read just before writing: the array is replaced whole, so entries added since the plan must be carried over.
        List<string> desired = [.. current.Assigned.Where(a => !IsSelf(a)), DesiredSelfPolicy];
        await graph.Policies.AuthorizationPolicy.PatchAsync(
            new AuthorizationPolicy { DefaultUserRolePermissions = new DefaultUserRolePermissions { PermissionGrantPoliciesAssigned = desired } },
            cancellationToken: cancellationToken);
        return new ChangeResult(change, ChangeOutcome.Done);
    }

    /// <summary>PUT replaces the policy: reviewers already configured (a group, a role) are kept beside the configured users.</summary>
    private async Task<ChangeResult> EnableAsync(PlannedChange change, ConsentState current, CancellationToken cancellationToken)
    {
        if (WorkflowIsEnabled(current))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        var reviewers = (current.Workflow?.Reviewers ?? [])
            .Select(r => new AccessReviewReviewerScope { Query = r.Query, QueryType = r.QueryType, QueryRoot = r.QueryRoot })
            .Concat(Settings.Reviewers.Select(id => new AccessReviewReviewerScope { Query = UserQuery(id), QueryType = "MicrosoftGraph" }))
            .DistinctBy(r => r.Query, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var request = graph.Policies.AdminConsentRequestPolicy.ToPatchRequestInformation(new AdminConsentRequestPolicy
        {
            IsEnabled = true,
            NotifyReviewers = true,
            RemindersEnabled = true,
            RequestDurationInDays = Settings.RequestDurationInDays,
            Reviewers = reviewers,
        });
        request.HttpMethod = Method.PUT;
        await graph.RequestAdapter.SendNoContentAsync(request,
            new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue }, cancellationToken);
        return new ChangeResult(change, ChangeOutcome.Done);
    }

    private bool UserConsentIsRestricted(IReadOnlyList<string> assigned) =>
        assigned.Where(IsSelf).SequenceEqual([DesiredSelfPolicy], StringComparer.OrdinalIgnoreCase);

    private bool WorkflowIsEnabled(ConsentState current) =>
        current.Workflow?.IsEnabled == true && Settings.Reviewers.All(id => current.ReviewerQueries.Contains(UserQuery(id), StringComparer.OrdinalIgnoreCase));

    private static bool IsSelf(string entry) => entry.StartsWith(SelfPrefix, StringComparison.OrdinalIgnoreCase);

    private static string UserQuery(string id) => $"/users/{id}";

    private async Task<ConsentState> ReadAsync(CancellationToken cancellationToken)
    {
        var authorization = await graph.Policies.AuthorizationPolicy.GetAsync(cancellationToken: cancellationToken);
        var workflow = await graph.Policies.AdminConsentRequestPolicy.GetAsync(cancellationToken: cancellationToken);
        return new ConsentState(authorization?.DefaultUserRolePermissions?.PermissionGrantPoliciesAssigned?.OfType<string>().ToList() ?? [], workflow);
    }

    private sealed record ConsentState(IReadOnlyList<string> Assigned, AdminConsentRequestPolicy? Workflow)
    {
        public IReadOnlyList<string> ReviewerQueries { get; } = [.. (Workflow?.Reviewers ?? []).Select(r => r.Query).OfType<string>()];

        public object Describe() => new
        {
            permissionGrantPoliciesAssigned = Assigned,
            adminConsentRequestPolicy = Workflow is null ? null : new
            {
                isEnabled = Workflow.IsEnabled,
                notifyReviewers = Workflow.NotifyReviewers,
                remindersEnabled = Workflow.RemindersEnabled,
                requestDurationInDays = Workflow.RequestDurationInDays,
                reviewers = ReviewerQueries,
                version = Workflow.Version,
            },
        };
    }
}

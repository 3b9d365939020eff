using Microsoft.Extensions.Options;
using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Consent;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.g — Make admin consent the rule for new third-party applications: users keep consent only for low-impact
/// permissions (every ManagePermissionGrantsForSelf.* entry is replaced by the configured policy, other entries such as
/// ManagePermissionGrantsForOwnedResource.* stay), and the admin consent request workflow is switched on with the
/// configured reviewers (required: without reviewers the workflow cannot be enabled, so the step does not plan).
/// Reversible: the journal keeps both policies as they were (<see cref="ConsentState"/>).
/// </summary>
/// <remarks>Graph: GET/PATCH /policies/authorizationPolicy; GET/PUT /policies/adminConsentRequestPolicy (PUT, not the
/// SDK's PATCH: see <see cref="ConsentState.EnableAsync"/>). Reviewers are read with GET /users/{id}. Permissions: the catalog row.</remarks>
public sealed class RequireAdminConsent(GraphServiceClient graph, ApplicationDirectory apps, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<ConsentState>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.g");

    private ConsentHardening Settings => policy.Value.Consent;

    protected internal override Task<ConsentState> ReadAsync(StepContext step, CancellationToken cancellationToken) => ConsentState.ReadAsync(graph, cancellationToken);

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, ConsentState current, GuardVerdict verdict, CancellationToken cancellationToken)
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

        var evidence = new List<Evidence>
        {
            new("User consent policies", string.Join(", ", current.Assigned)),
            new("Admin consent workflow", current.Workflow?.IsEnabled == true ? $"enabled, reviewers {string.Join(", ", current.ReviewerQueries)}" : "disabled"),
            new("Configured reviewers", string.Join(", ", reviewers)),
        };
        var changes = new List<PlannedChange>();
        var selfPolicy = ConsentState.SelfPrefix + Settings.UserConsentPolicy;
        if (!current.UserConsentIs(selfPolicy))
        {
            changes.Add(new RestrictUserConsent("authorizationPolicy",
                $"User consent: replace {string.Join(", ", current.Assigned.Where(ConsentState.IsSelf).DefaultIfEmpty("(none)"))} by {selfPolicy}, keep {current.Assigned.Count(a => !ConsentState.IsSelf(a))} other entr(ies)",
                selfPolicy));
        }

        if (!current.WorkflowReviewedBy(Settings.Reviewers))
        {
            changes.Add(new EnableAdminConsentRequests("adminConsentRequestPolicy",
                $"Enable admin consent requests, reviewed by {string.Join(", ", reviewers)}, open {Settings.RequestDurationInDays} days",
                [.. Settings.Reviewers], Settings.RequestDurationInDays));
        }

        var warnings = new List<string> { "Consents already granted stay: 2.b revokes those of the applications the incident names." };
        return changes.Count == 0
            ? Plans.NothingToDo(step, "User consent is limited and admin consent requests are enabled.", evidence, Snapshot.Of(current.Describe()), warnings)
            : Plans.Change(step, "Require admin consent for new third-party applications.", evidence, changes, warnings, Snapshot.Of(current.Describe()));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ConsentState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (IsInPlace(before, change))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await (change switch
        {
            RestrictUserConsent restrict => before.RestrictAsync(graph, restrict, cancellationToken),
            EnableAdminConsentRequests enable => before.EnableAsync(graph, enable, cancellationToken),
            _ => throw new ArgumentException($"2.g has no change '{change.Kind}'.", nameof(change)),
        });
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, ConsentState before, ConsentState after, IReadOnlyList<ChangeResult> results) => "Consent settings hardened.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ConsentState before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    protected internal override object Journaled(ConsentState state) => state.Describe();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ConsentState.ReadAsync(graph, cancellationToken);
        var wrong = plan.Changes.Where(c => !IsInPlace(current, c)).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, $"User consent: {string.Join(", ", current.Assigned)}; admin consent requests enabled.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    private static bool IsInPlace(ConsentState state, PlannedChange change) => change switch
    {
        RestrictUserConsent restrict => state.UserConsentIs(restrict.SelfConsentPolicy),
        EnableAdminConsentRequests enable => state.WorkflowReviewedBy(enable.Reviewers),
        _ => false,
    };
}

using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Consent;

/// <summary>Replace every ManagePermissionGrantsForSelf.* entry of the authorization policy by <paramref name="SelfConsentPolicy"/>.</summary>
/// <param name="SelfConsentPolicy">The whole entry, "ManagePermissionGrantsForSelf.{policy id}", as approved.</param>
public sealed record RestrictUserConsent(string ResourceId, string Description, string SelfConsentPolicy) : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "restrict-user-consent";
}

/// <summary>Switch the admin consent request workflow on, reviewed (beside the reviewers already set) by these users.</summary>
/// <param name="Reviewers">The reviewers' object ids, as approved.</param>
public sealed record EnableAdminConsentRequests(string ResourceId, string Description, IReadOnlyList<string> Reviewers, int RequestDurationInDays)
    : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "enable-admin-consent-workflow";
}

/// <summary>
/// What 2.g reads: the user consent entries of the authorization policy and the admin consent request policy. Journaled
/// as <see cref="Describe"/> (release of 2.g reads permissionGrantPoliciesAssigned and adminConsentRequestPolicy back).
/// </summary>
public sealed record ConsentState(IReadOnlyList<string> Assigned, AdminConsentRequestPolicy? Workflow)
{
    public const string SelfPrefix = "ManagePermissionGrantsForSelf.";

    public IReadOnlyList<string> ReviewerQueries { get; } = [.. (Workflow?.Reviewers ?? []).Select(r => r.Query).OfType<string>()];

    public bool UserConsentIs(string selfConsentPolicy) => Assigned.Where(IsSelf).SequenceEqual([selfConsentPolicy], StringComparer.OrdinalIgnoreCase);

    public bool WorkflowReviewedBy(IEnumerable<string> reviewers) =>
        Workflow?.IsEnabled == true && reviewers.All(id => ReviewerQueries.Contains(UserQuery(id), StringComparer.OrdinalIgnoreCase));

    public static bool IsSelf(string entry) => entry.StartsWith(SelfPrefix, StringComparison.OrdinalIgnoreCase);

    public static string UserQuery(string id) => $"/users/{id}";

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

    public static async Task<ConsentState> ReadAsync(GraphServiceClient graph, CancellationToken cancellationToken)
    {
        var authorization = await graph.Policies.AuthorizationPolicy.GetAsync(cancellationToken: cancellationToken);
        var workflow = await graph.Policies.AdminConsentRequestPolicy.GetAsync(cancellationToken: cancellationToken);
        return new ConsentState(authorization?.DefaultUserRolePermissions?.PermissionGrantPoliciesAssigned?.OfType<string>().ToList() ?? [], workflow);
    }

    /// <summary>The array is replaced whole: entries other than self-consent (read just before, in apply's before-state) are carried over.</summary>
    public Task RestrictAsync(GraphServiceClient graph, RestrictUserConsent change, CancellationToken cancellationToken) =>
        graph.Policies.AuthorizationPolicy.PatchAsync(
            new AuthorizationPolicy { DefaultUserRolePermissions = new DefaultUserRolePermissions { PermissionGrantPoliciesAssigned = [.. Assigned.Where(a => !IsSelf(a)), change.SelfConsentPolicy] } },
            cancellationToken: cancellationToken);

    /// <summary>
    /// PUT replaces the policy: reviewers already configured (a group, a role) are kept beside the approved users. The
    /// service has no PATCH although the SDK's PatchAsync sends one (404): the PUT is built from the SDK's request.
    /// </summary>
    public Task EnableAsync(GraphServiceClient graph, EnableAdminConsentRequests change, CancellationToken cancellationToken)
    {
        var reviewers = (Workflow?.Reviewers ?? [])
            .Select(r => new AccessReviewReviewerScope { Query = r.Query, QueryType = r.QueryType, QueryRoot = r.QueryRoot })
            .Concat(change.Reviewers.Select(id => new AccessReviewReviewerScope { Query = UserQuery(id), QueryType = "MicrosoftGraph" }))
            .DistinctBy(r => r.Query, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var request = graph.Policies.AdminConsentRequestPolicy.ToPatchRequestInformation(new AdminConsentRequestPolicy
        {
            IsEnabled = true,
            NotifyReviewers = true,
            RemindersEnabled = true,
            RequestDurationInDays = change.RequestDurationInDays,
            Reviewers = reviewers,
        });
        request.HttpMethod = Method.PUT;
        return graph.RequestAdapter.SendNoContentAsync(request,
            new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue }, cancellationToken);
    }
}

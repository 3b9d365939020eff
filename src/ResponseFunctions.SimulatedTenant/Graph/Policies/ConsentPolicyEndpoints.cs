using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Graph.ConditionalAccess;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Policies;

/// <summary>
/// The tenant's consent settings: /policies/authorizationPolicy (GET, PATCH merges) and /policies/adminConsentRequestPolicy
/// (GET, PUT replaces). The real service has no PATCH route for the latter although its metadata (and so the SDK's
/// PatchAsync) says PATCH: it answers 404 "No HTTP resource was found…" (msgraph-metadata issues #218 and #583); so does this one.
/// </summary>
internal static partial class ConsentPolicyEndpoints
{
    private const string Authorization = "policies/authorizationPolicy";
    private const string AdminConsent = "policies/adminConsentRequestPolicy";

    private static readonly HashSet<string> AuthorizationPatchable = new(
        ["@odata.type", "defaultUserRolePermissions", "allowUserConsentForRiskyApps", "allowedToUseSSPR", "allowInvitesFrom", "blockMsolPowerShell"],
        StringComparer.Ordinal);

    public static void Map(GraphRouter router) => router
        .Map("GET", Authorization, GetAuthorization)
        .Map("PATCH", Authorization, PatchAuthorization)
        .Map("GET", AdminConsent, GetAdminConsent)
        .Map("PUT", AdminConsent, PutAdminConsent)
        .Map("PATCH", AdminConsent, _ => throw new GraphException(404, "",
            "No HTTP resource was found that matches the request URI 'https://api.accessreviews.identitygovernance.azure.com/accessReviews/v2.0/me/adminConsentRequestPolicy?ring=2'."));

    private static GraphResponse GetAuthorization(GraphRequest request)
    {
        var stored = request.State.Mutate(m => (m.AuthorizationPolicy ??= DefaultAuthorizationPolicy()).DeepClone().AsObject());
        return GraphResponse.Ok(GraphJson.Entity(GraphShapedStore.FromStored(stored, AuthorizationPolicy.CreateFromDiscriminatorValue), $"{Authorization}/$entity"));
    }

    private static GraphResponse PatchAuthorization(GraphRequest request)
    {
        var patch = request.BodyObject();
        foreach (var (property, _) in patch)
        {
            if (!AuthorizationPatchable.Contains(property))
            {
                throw GraphException.Unsupported($"PATCH /policies/authorizationPolicy of property '{property}'");
            }
        }

        var assigned = request.BodyAs(AuthorizationPolicy.CreateFromDiscriminatorValue).DefaultUserRolePermissions?.PermissionGrantPoliciesAssigned ?? [];
        var invalid = assigned.FirstOrDefault(p => p is null || !GrantPolicyReference().IsMatch(p));
        if (invalid is not null || assigned.Any(p => p is null))
        {
            throw GraphException.DirectoryBadRequest($"Invalid value '{invalid}' in permissionGrantPoliciesAssigned: expected ManagePermissionGrantsForSelf.<policy id> or ManagePermissionGrantsForOwnedResource.<policy id>.");
        }

        request.State.Mutate(m => m.AuthorizationPolicy = GraphShapedStore.Merge(m.AuthorizationPolicy ??= DefaultAuthorizationPolicy(), patch));
        return GraphResponse.NoContent();
    }

    private static GraphResponse GetAdminConsent(GraphRequest request)
    {
        var stored = request.State.Mutate(m => (m.AdminConsentRequestPolicy ??= DefaultAdminConsentPolicy()).DeepClone().AsObject());
        return GraphResponse.Ok(GraphJson.Entity(GraphShapedStore.FromStored(stored, AdminConsentRequestPolicy.CreateFromDiscriminatorValue), $"{AdminConsent}/$entity"));
    }

    /// <summary>PUT replaces the policy. Enabling it needs reviewers the directory knows and a request lifetime (checks the portal makes too).</summary>
    private static GraphResponse PutAdminConsent(GraphRequest request)
    {
        var policy = request.BodyAs(AdminConsentRequestPolicy.CreateFromDiscriminatorValue);
        request.State.Mutate(m =>
        {
            if (policy.IsEnabled == true)
            {
                if (policy.Reviewers is not { Count: > 0 })
                {
                    throw GraphException.BadRequest("At least one reviewer is required to enable the admin consent request policy.");
                }

                if (policy.RequestDurationInDays is not (>= 1 and <= 30))
                {
                    throw GraphException.BadRequest("requestDurationInDays must be between 1 and 30.");
                }
            }

            foreach (var reviewer in policy.Reviewers ?? [])
            {
                var match = UserQuery().Match(reviewer.Query ?? "");
                if (!match.Success || !string.Equals(reviewer.QueryType, "MicrosoftGraph", StringComparison.Ordinal))
                {
                    throw GraphException.Unsupported($"reviewer query '{reviewer.Query}' ({reviewer.QueryType}); only /users/{{id}} with queryType MicrosoftGraph is simulated");
                }

                if (m.FindUser(match.Groups["id"].Value) is null)
                {
                    throw GraphException.BadRequest($"Reviewer '{reviewer.Query}' does not exist.");
                }
            }

            var version = (m.AdminConsentRequestPolicy?["version"]?.GetValue<int>() ?? 0) + 1;
            policy.Version = version;
            policy.OdataType = "#microsoft.graph.adminConsentRequestPolicy";
            m.AdminConsentRequestPolicy = GraphShapedStore.ToStored(policy);
        });
        return GraphResponse.NoContent();
    }

    private static JsonObject DefaultAuthorizationPolicy() => GraphShapedStore.ToStored(new AuthorizationPolicy
    {
        Id = "authorizationPolicy",
        DisplayName = "Authorization Policy",
        AllowUserConsentForRiskyApps = false,
        DefaultUserRolePermissions = new DefaultUserRolePermissions
        {
            AllowedToCreateApps = true,
            AllowedToCreateSecurityGroups = true,
            AllowedToReadOtherUsers = true,
            PermissionGrantPoliciesAssigned = ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
        },
    });

    private static JsonObject DefaultAdminConsentPolicy() => GraphShapedStore.ToStored(new AdminConsentRequestPolicy
    {
        IsEnabled = false,
        NotifyReviewers = false,
        RemindersEnabled = false,
        RequestDurationInDays = 0,
        Reviewers = [],
        Version = 0,
    });

    [GeneratedRegex(@"^ManagePermissionGrantsFor(Self|OwnedResource)\.[A-Za-z0-9\-_.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GrantPolicyReference();

    [GeneratedRegex(@"^/(v1\.0/|beta/)?users/(?<id>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UserQuery();
}

using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Setup;

/// <summary>
/// Grants the playbook identity what Bicep cannot: the Microsoft Graph application permissions and Exchange.ManageAsApp
/// of <see cref="PermissionManifest"/>, its directory roles, and creates or updates the approval app registration
/// (the Containment.Approver app role, App Service Authentication's redirect URI, assignment required). Reads first,
/// then writes only what is missing, so a second run writes nothing; with <c>apply: false</c> it only reports.
/// Nothing is ever removed: permissions held beyond the manifest are reported as unneeded.
/// Sources: "Grant or revoke API permissions programmatically" (POST /servicePrincipals/{id}/appRoleAssignments with the
/// resource's app role id looked up by value), "Create unifiedRoleAssignment" (built-in role definition id = template
/// id, directoryScopeId "/"), "Create application" / "Update application" (appRoles replaced whole), "Create servicePrincipal".
/// </summary>
public sealed class PermissionSetup(GraphServiceClient graph)
{
    /// <summary>The approval app registration's display name: how a second run finds the one the first created.</summary>
    public const string ApprovalAppDisplayName = "ResponseFunctions approvals";

    private readonly DirectoryReader _directory = new(graph);

    public async Task<PermissionSetupResult> RunAsync(string identityObjectId, Uri? appUrl, bool apply, CancellationToken cancellationToken)
    {
        var identity = await graph.ServicePrincipals[identityObjectId].GetAsync(r => r.QueryParameters.Select = ["id", "displayName"], cancellationToken)
            ?? throw new InvalidOperationException($"No service principal {identityObjectId}.");
        var held = await _directory.AllPagesAsync<AppRoleAssignment, AppRoleAssignmentCollectionResponse>(
            await graph.ServicePrincipals[identity.Id].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken), cancellationToken);

        var grants = new List<PermissionChange>();
        var unneeded = new List<string>();

        var graphSp = await ResourceAsync(PermissionManifest.GraphAppId, cancellationToken);
        await GrantAppRolesAsync(identity, graphSp, PermissionManifest.GraphApplicationPermissions, PermissionKind.GraphApplicationPermission, held, apply, grants, unneeded, cancellationToken);

        if (PermissionManifest.NeedsExchange)
        {
            var exchangeSp = await ResourceAsync(PermissionManifest.ExchangeAppId, cancellationToken);
            await GrantAppRolesAsync(identity, exchangeSp, [PermissionManifest.ExchangeManageAsApp], PermissionKind.ExchangeApplicationPermission, held, apply, grants, unneeded, cancellationToken);
        }

        await AssignDirectoryRolesAsync(identity.Id!, apply, grants, cancellationToken);
        var clientId = await EnsureApprovalAppAsync(appUrl, apply, grants, cancellationToken);
        return new PermissionSetupResult(grants, unneeded, clientId, apply);
    }

    private async Task<ServicePrincipal> ResourceAsync(string appId, CancellationToken cancellationToken)
    {
        var page = await graph.ServicePrincipals.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"appId eq '{appId}'";
            r.QueryParameters.Select = ["id", "appId", "displayName", "appRoles"];
        }, cancellationToken);
        return page?.Value?.FirstOrDefault()
            ?? throw new InvalidOperationException($"The tenant has no service principal for application {appId}.");
    }

    private async Task GrantAppRolesAsync(
        ServicePrincipal identity, ServicePrincipal resource, IReadOnlyList<string> permissions, PermissionKind kind,
        IReadOnlyList<AppRoleAssignment> held, bool apply, List<PermissionChange> grants, List<string> unneeded, CancellationToken cancellationToken)
    {
        var roles = resource.AppRoles ?? [];
        var heldOnResource = held.Where(a => a.ResourceId?.ToString() is { } r && string.Equals(r, resource.Id, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var permission in permissions)
        {
            var role = roles.FirstOrDefault(r => r.Value == permission && r.IsEnabled != false && r.AllowedMemberTypes?.Contains("Application") == true)
                ?? throw new InvalidOperationException($"{resource.DisplayName} exposes no application permission '{permission}'.");
            var missing = !heldOnResource.Any(a => a.AppRoleId == role.Id);
            if (missing && apply)
            {
                await graph.ServicePrincipals[identity.Id].AppRoleAssignments.PostAsync(
                    new AppRoleAssignment { PrincipalId = Guid.Parse(identity.Id!), ResourceId = Guid.Parse(resource.Id!), AppRoleId = role.Id },
                    cancellationToken: cancellationToken);
            }

            grants.Add(new PermissionChange(kind, permission, PermissionManifest.ConsumersOf(permission), missing));
        }

        foreach (var assignment in heldOnResource)
        {
            var value = roles.FirstOrDefault(r => r.Id == assignment.AppRoleId)?.Value ?? assignment.AppRoleId?.ToString() ?? "?";
            if (!permissions.Contains(value, StringComparer.Ordinal))
            {
                unneeded.Add($"{resource.DisplayName} {value}");
            }
        }
    }

    private async Task AssignDirectoryRolesAsync(string principalId, bool apply, List<PermissionChange> grants, CancellationToken cancellationToken)
    {
        var assigned = await _directory.RoleAssignmentsAsync($"principalId eq '{principalId}'", cancellationToken);
        foreach (var role in PermissionManifest.DirectoryRoles)
        {
            var missing = !assigned.Any(a => string.Equals(a.RoleDefinitionId, role.TemplateId, StringComparison.OrdinalIgnoreCase) && a.DirectoryScopeId == "/");
            if (missing && apply)
            {
                await graph.RoleManagement.Directory.RoleAssignments.PostAsync(
                    new UnifiedRoleAssignment { PrincipalId = principalId, RoleDefinitionId = role.TemplateId, DirectoryScopeId = "/" },
                    cancellationToken: cancellationToken);
            }

            grants.Add(new PermissionChange(PermissionKind.DirectoryRole, role.DisplayName,
                [.. PermissionManifest.Needs.Where(n => n.DirectoryRoles.Contains(role)).Select(n => n.Consumer)], missing));
        }
    }

    /// <summary>The app registration App Service Authentication signs approvers in with; its service principal requires assignment.</summary>
    private async Task<string?> EnsureApprovalAppAsync(Uri? appUrl, bool apply, List<PermissionChange> grants, CancellationToken cancellationToken)
    {
        string[] usedBy = ["approval page"];
        var redirectUri = appUrl is null ? null : new Uri(appUrl, "/.auth/login/aad/callback").AbsoluteUri;
        var found = await graph.Applications.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"displayName eq '{ApprovalAppDisplayName}'";
            r.QueryParameters.Select = ["id", "appId", "displayName", "appRoles", "web"];
        }, cancellationToken);
        var matches = found?.Value ?? [];
        if (matches.Count > 1)
        {
            throw new InvalidOperationException($"{matches.Count} app registrations are named '{ApprovalAppDisplayName}': keep one.");
        }

        var app = matches.FirstOrDefault();
        var approverRole = new AppRole
        {
            Id = Guid.NewGuid(),
            Value = ApprovalOptions.ApproverRole,
            DisplayName = "Containment approver",
            Description = "May approve or reject the containment steps ResponseFunctions proposes.",
            AllowedMemberTypes = ["User"],
            IsEnabled = true,
        };

        if (app is null)
        {
            grants.Add(new PermissionChange(PermissionKind.ApprovalAppRegistration, $"create '{ApprovalAppDisplayName}' with app role {ApprovalOptions.ApproverRole}", usedBy, Changed: true));
            if (!apply)
            {
                grants.Add(new PermissionChange(PermissionKind.ApprovalAppRegistration, "service principal, assignment required", usedBy, Changed: true));
                return null;
            }

            app = await graph.Applications.PostAsync(new Application
            {
                DisplayName = ApprovalAppDisplayName,
                SignInAudience = "AzureADMyOrg",
                AppRoles = [approverRole],
                Web = Web(redirectUri is null ? [] : [redirectUri]),
            }, cancellationToken: cancellationToken) ?? throw new InvalidOperationException("Graph returned no application.");
        }
        else
        {
            var roleMissing = !(app.AppRoles ?? []).Any(r => r.Value == ApprovalOptions.ApproverRole && r.IsEnabled != false);
            grants.Add(new PermissionChange(PermissionKind.ApprovalAppRegistration, $"app role {ApprovalOptions.ApproverRole}", usedBy, roleMissing));
            var uris = app.Web?.RedirectUris ?? [];
            var uriMissing = redirectUri is not null && !uris.Contains(redirectUri, StringComparer.OrdinalIgnoreCase);
            var idTokensOff = app.Web?.ImplicitGrantSettings?.EnableIdTokenIssuance != true;
            grants.Add(new PermissionChange(PermissionKind.ApprovalAppRegistration, $"sign-in redirect {redirectUri ?? "(no --app-url)"}, ID tokens", usedBy, uriMissing || idTokensOff));
            if (apply && (roleMissing || uriMissing || idTokensOff))
            {
                // appRoles is replaced whole: send the existing roles unchanged plus the missing one.
                await graph.Applications[app.Id].PatchAsync(new Application
                {
                    AppRoles = roleMissing ? [.. app.AppRoles ?? [], approverRole] : app.AppRoles,
                    Web = Web(uriMissing ? [.. uris, redirectUri!] : uris),
                }, cancellationToken: cancellationToken);
            }
        }

        var sp = (await graph.ServicePrincipals.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"appId eq '{app.AppId}'";
            r.QueryParameters.Select = ["id", "appId", "appRoleAssignmentRequired"];
        }, cancellationToken))?.Value?.FirstOrDefault();
        var spMissing = sp is null || sp.AppRoleAssignmentRequired != true;
        grants.Add(new PermissionChange(PermissionKind.ApprovalAppRegistration, "service principal, assignment required", usedBy, spMissing));
        if (apply && sp is null)
        {
            await graph.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app.AppId, AppRoleAssignmentRequired = true }, cancellationToken: cancellationToken);
        }
        else if (apply && spMissing)
        {
            await graph.ServicePrincipals[sp!.Id].PatchAsync(new ServicePrincipal { AppRoleAssignmentRequired = true }, cancellationToken: cancellationToken);
        }

        return app.AppId;
    }

    /// <summary>App Service Authentication signs users in with an ID token (implicit grant of ID tokens only, no access tokens).</summary>
    private static WebApplication Web(List<string> redirectUris) => new()
    {
        RedirectUris = redirectUris,
        ImplicitGrantSettings = new ImplicitGrantSettings { EnableIdTokenIssuance = true, EnableAccessTokenIssuance = false },
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Baselines;

/// <summary>
/// Reads the tenant's known-good state into the policy's baselines, to run in peacetime (a baseline captured during an
/// incident would bless the attacker's changes): who holds each directory role (active and PIM-eligible, members of role-assignable groups included), and for each
/// application its owners, app-scoped role holders, certificates and federated credentials, assignments and permissions.
/// Secrets are never captured as legitimate: a secret's value may have been read, so 2.c always removes them.
/// Read-only: RoleManagement.Read.Directory, Application.Read.All, GroupMember.Read.All, Directory.Read.All (delegated grants).
/// </summary>
public sealed class BaselineCapture(GraphServiceClient graph, DirectoryReader directory, ApplicationDirectory apps)
{
    /// <summary>The fragment's JSON: the property names of <see cref="ContainmentPolicy"/>, as the drill and host configuration read them.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="appIds">Applications to capture besides every app registration of the tenant (e.g. third-party apps, which have only a service principal).</param>
    public async Task<CapturedBaseline> CaptureAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken)
    {
        var registrations = await directory.AllPagesAsync<Application, ApplicationCollectionResponse>(
            await graph.Applications.GetAsync(r => r.QueryParameters.Select = ["id", "appId", "displayName"], cancellationToken), cancellationToken);
        var wanted = registrations.Select(a => a.AppId).OfType<string>().Union(appIds, StringComparer.OrdinalIgnoreCase).ToList();
        var applications = new List<ApplicationBaseline>();
        foreach (var appId in wanted)
        {
            applications.Add(await CaptureApplicationAsync(appId, registrations.FirstOrDefault(a => Same(a.AppId, appId)), cancellationToken));
        }

        var appScopes = registrations.Select(a => "/" + a.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new CapturedBaseline(await CaptureRolesAsync(appScopes, cancellationToken), applications);
    }

    /// <summary>Role by role (the documented $filter=roleDefinitionId form), active and eligible; app-scoped assignments go to the application baselines.</summary>
    private async Task<List<RoleBaselineEntry>> CaptureRolesAsync(IReadOnlySet<string> appScopes, CancellationToken cancellationToken)
    {
        var definitions = await directory.AllPagesAsync<UnifiedRoleDefinition, UnifiedRoleDefinitionCollectionResponse>(
            await graph.RoleManagement.Directory.RoleDefinitions.GetAsync(r => r.QueryParameters.Select = ["id", "displayName"], cancellationToken), cancellationToken);
        var entries = new List<RoleBaselineEntry>();
        foreach (var definition in definitions.OrderBy(d => d.DisplayName, StringComparer.Ordinal))
        {
            var filter = ODataFilter.Eq("roleDefinitionId", definition.Id!);
            var active = (await directory.RoleAssignmentsAsync(filter, cancellationToken))
                .Where(a => !appScopes.Contains(a.DirectoryScopeId ?? "/"))
                .Select(a => a.PrincipalId);
            var eligible = (await directory.RoleEligibilitySchedulesAsync(filter, cancellationToken)).Select(s => s.PrincipalId);
            var holders = active.Concat(eligible).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var principals = new List<string>(holders);
            foreach (var holder in holders)
            {
                principals.AddRange(await GroupMembersAsync(holder, cancellationToken));
            }

            principals = [.. principals.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
            if (principals.Count > 0)
            {
                entries.Add(new RoleBaselineEntry { RoleDefinitionId = definition.Id!, RoleName = definition.DisplayName, Principals = principals });
            }
        }

        return entries;
    }

    /// <summary>
    /// The members of a role-assignable group holding a role: 1.f checks the user, so a member is legitimate only if
    /// listed too. Not a group (a user, a service principal): none.
    /// </summary>
    private async Task<IEnumerable<string>> GroupMembersAsync(string principalId, CancellationToken cancellationToken)
    {
        try
        {
            var page = await graph.Groups[principalId].Members.GetAsync(r => r.QueryParameters.Select = ["id"], cancellationToken);
            return (await directory.AllPagesAsync<DirectoryObject, DirectoryObjectCollectionResponse>(page, cancellationToken)).Select(m => m.Id).OfType<string>();
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return [];
        }
    }

    private async Task<ApplicationBaseline> CaptureApplicationAsync(string appId, Application? registration, CancellationToken cancellationToken)
    {
        var baseline = new ApplicationBaseline { AppId = appId, DisplayName = registration?.DisplayName };
        if (registration?.Id is { } appObjectId)
        {
            baseline.Owners = [.. (await apps.OwnersAsync(AppObjectKind.Application, appObjectId, cancellationToken)).Select(o => o.Id!)];
            var app = await graph.Applications[appObjectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken);
            var federated = await graph.Applications[appObjectId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
            baseline.Credentials.AddRange(CredentialIds(app?.KeyCredentials, federated?.Value));
            baseline.ScopedRoles = [.. (await directory.RoleAssignmentsAsync(ODataFilter.Eq("directoryScopeId", "/" + appObjectId), cancellationToken))
                .GroupBy(a => a.RoleDefinitionId!, StringComparer.OrdinalIgnoreCase)
                .Select(g => new RoleBaselineEntry
                {
                    RoleDefinitionId = g.Key,
                    RoleName = g.First().RoleDefinition?.DisplayName,
                    Principals = [.. g.Select(a => a.PrincipalId!).Distinct(StringComparer.OrdinalIgnoreCase)],
                })];
        }

        var page = await graph.ServicePrincipals.GetAsync(r =>
        {
            r.QueryParameters.Filter = ODataFilter.Eq("appId", appId);
            r.QueryParameters.Select = ["id", "appId", "displayName"];
        }, cancellationToken);
        if (page?.Value is not [{ Id: { } spId } sp])
        {
            return baseline;
        }

        baseline.DisplayName ??= sp.DisplayName;
        baseline.ServicePrincipalOwners = [.. (await apps.OwnersAsync(AppObjectKind.ServicePrincipal, spId, cancellationToken)).Select(o => o.Id!)];
        var spKeys = await graph.ServicePrincipals[spId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken);
        var spFederated = await graph.ServicePrincipals[spId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
        baseline.Credentials.AddRange(CredentialIds(spKeys?.KeyCredentials, spFederated?.Value));
        baseline.AssignedPrincipals = [.. (await apps.AssignedToAsync(spId, cancellationToken)).Select(a => a.PrincipalId.ToString()!).Distinct(StringComparer.OrdinalIgnoreCase)];
        baseline.DelegatedPermissions = [.. (await apps.DelegatedGrantsAsync(spId, cancellationToken))
            .SelectMany(g => (g.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
        var names = apps.Names();
        foreach (var permission in await apps.ApplicationPermissionsAsync(spId, cancellationToken))
        {
            baseline.ApplicationPermissions.Add(await names.AppRoleAsync(permission.ResourceId, permission.AppRoleId, cancellationToken));
        }

        baseline.ApplicationPermissions = [.. baseline.ApplicationPermissions.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
        return baseline;
    }

    private static IEnumerable<string> CredentialIds(IEnumerable<KeyCredential>? certificates, IEnumerable<FederatedIdentityCredential>? federated) =>
        (certificates ?? []).Select(k => k.KeyId?.ToString()).Concat((federated ?? []).Select(f => f.Id)).OfType<string>();

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The captured baselines, in the shape of the policy's own settings.</summary>
public sealed record CapturedBaseline(List<RoleBaselineEntry> RoleBaseline, List<ApplicationBaseline> ApplicationBaselines)
{
    public string ToJson() => JsonSerializer.Serialize(this, BaselineCapture.Json);
}

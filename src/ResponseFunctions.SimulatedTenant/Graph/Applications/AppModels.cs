using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>Maps application records to the SDK's models, so the JSON is exactly what Graph's own serializer writes.</summary>
internal static class AppModels
{
    public static Application ToGraph(SimApplication a, bool withKeys) => new()
    {
        Id = a.Id,
        AppId = a.AppId,
        DisplayName = a.DisplayName,
        SignInAudience = a.SignInAudience,
        CreatedDateTime = a.CreatedDateTime,
        KeyCredentials = [.. a.KeyCredentials.Select(k => ToGraph(k, withKeys))],
        PasswordCredentials = [.. a.PasswordCredentials.Select(ToGraph)],
        AppRoles = [.. a.AppRoles.Select(ToGraph)],
        Web = new WebApplication
        {
            RedirectUris = [.. a.WebRedirectUris],
            ImplicitGrantSettings = new ImplicitGrantSettings { EnableIdTokenIssuance = a.IdTokenIssuance, EnableAccessTokenIssuance = false },
        },
    };

    public static AppRole ToGraph(SimAppRole r) => new()
    {
        Id = Guid.Parse(r.Id),
        Value = r.Value,
        DisplayName = r.DisplayName ?? r.Value,
        Description = r.Description ?? r.DisplayName ?? r.Value,
        AllowedMemberTypes = r.AllowedMemberTypes,
        IsEnabled = r.IsEnabled,
    };

    public static SimAppRole FromGraph(AppRole r) => new()
    {
        Id = (r.Id ?? throw GraphException.DirectoryBadRequest("Every app role needs an id.")).ToString(),
        Value = r.Value ?? "",
        DisplayName = r.DisplayName,
        Description = r.Description,
        IsEnabled = r.IsEnabled ?? true,
        AllowedMemberTypes = r.AllowedMemberTypes ?? [],
    };

    public static ServicePrincipal ToGraph(SimServicePrincipal s, bool withKeys) => new()
    {
        Id = s.Id,
        AppId = s.AppId,
        DisplayName = s.DisplayName,
        AccountEnabled = s.AccountEnabled,
        AppRoleAssignmentRequired = s.AppRoleAssignmentRequired,
        ServicePrincipalType = s.ServicePrincipalType,
        AppOwnerOrganizationId = Guid.TryParse(s.AppOwnerOrganizationId, out var owner) ? owner : null,
        VerifiedPublisher = new VerifiedPublisher { DisplayName = s.VerifiedPublisher },
        SignInAudience = s.SignInAudience,
        KeyCredentials = [.. s.KeyCredentials.Select(k => ToGraph(k, withKeys))],
        PasswordCredentials = [.. s.PasswordCredentials.Select(ToGraph)],
        AppRoles = [.. s.AppRoles.Select(ToGraph)],
        Oauth2PermissionScopes = [.. s.Oauth2PermissionScopes.Select(p => new PermissionScope
        {
            Id = Guid.Parse(p.Id),
            Value = p.Value,
            Type = p.Type,
            IsEnabled = true,
        })],
    };

    /// <summary>Graph returns a certificate's public key only when one object is read with $select=keyCredentials.</summary>
    public static KeyCredential ToGraph(SimKeyCredential k, bool withKey) => new()
    {
        KeyId = Guid.Parse(k.KeyId),
        DisplayName = k.DisplayName,
        Type = k.Type,
        Usage = k.Usage,
        StartDateTime = k.StartDateTime,
        EndDateTime = k.EndDateTime,
        CustomKeyIdentifier = k.CustomKeyIdentifier is null ? null : Convert.FromBase64String(k.CustomKeyIdentifier),
        Key = withKey && k.Key is not null ? Convert.FromBase64String(k.Key) : null,
    };

    public static PasswordCredential ToGraph(SimPasswordCredential p) => new()
    {
        KeyId = Guid.Parse(p.KeyId),
        DisplayName = p.DisplayName,
        Hint = p.Hint,
        StartDateTime = p.StartDateTime,
        EndDateTime = p.EndDateTime,
    };

    public static FederatedIdentityCredential ToGraph(SimFederatedIdentityCredential f) => new()
    {
        Id = f.Id,
        Name = f.Name,
        Issuer = f.Issuer,
        Subject = f.Subject,
        Description = f.Description,
        Audiences = [.. f.Audiences],
    };

    public static AppRoleAssignment ToGraph(SimAppRoleAssignment a) => new()
    {
        Id = a.Id,
        AppRoleId = Guid.Parse(a.AppRoleId),
        PrincipalId = Guid.Parse(a.PrincipalId),
        PrincipalType = a.PrincipalType,
        PrincipalDisplayName = a.PrincipalDisplayName,
        ResourceId = Guid.Parse(a.ResourceId),
        ResourceDisplayName = a.ResourceDisplayName,
        CreatedDateTime = a.CreatedDateTime,
    };

    public static OAuth2PermissionGrant ToGraph(SimOAuth2PermissionGrant g) => new()
    {
        Id = g.Id,
        ClientId = g.ClientId,
        ConsentType = g.ConsentType,
        PrincipalId = g.PrincipalId,
        ResourceId = g.ResourceId,
        Scope = g.Scope,
    };

    /// <summary>An owner id resolved to its user or service principal; dangling references are skipped, as Graph does.</summary>
    public static DirectoryObject? Owner(TenantModel model, string id) =>
        model.FindUser(id) is { } user
            ? DirectoryObjects.ToGraph(user)
            : model.ServicePrincipals.FirstOrDefault(s => Same(s.Id, id)) is { } sp
                ? new ServicePrincipal { Id = sp.Id, AppId = sp.AppId, DisplayName = sp.DisplayName }
                : null;

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

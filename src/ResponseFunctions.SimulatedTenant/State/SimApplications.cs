namespace ResponseFunctions.SimulatedTenant;

/// <summary>An app registration: only present in its home tenant (a multi-tenant app from elsewhere has a service principal only).</summary>
public sealed class SimApplication
{
    public string Id { get; set; } = "";
    public string AppId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string SignInAudience { get; set; } = "AzureADMyOrg";
    public DateTimeOffset? CreatedDateTime { get; set; }
    public List<SimKeyCredential> KeyCredentials { get; set; } = [];
    public List<SimPasswordCredential> PasswordCredentials { get; set; } = [];
    public List<SimFederatedIdentityCredential> FederatedIdentityCredentials { get; set; } = [];

    /// <summary>Object ids of the owning users or service principals.</summary>
    public List<string> Owners { get; set; } = [];

    /// <summary>The roles the application defines (its service principal exposes the same).</summary>
    public List<SimAppRole> AppRoles { get; set; } = [];

    /// <summary>web.redirectUris: where sign-in may return (App Service Authentication's /.auth/login/aad/callback).</summary>
    public List<string> WebRedirectUris { get; set; } = [];

    /// <summary>web.implicitGrantSettings.enableIdTokenIssuance: App Service Authentication signs users in with an ID token.</summary>
    public bool IdTokenIssuance { get; set; }
}

/// <summary>An application's instance in this tenant: it signs in, holds grants and roles, and may carry its own credentials.</summary>
public sealed class SimServicePrincipal
{
    public string Id { get; set; } = "";
    public string AppId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public bool AccountEnabled { get; set; } = true;
    public bool AppRoleAssignmentRequired { get; set; }
    public string ServicePrincipalType { get; set; } = "Application";

    /// <summary>The tenant the application is registered in; another tenant's id for a third-party app.</summary>
    public string? AppOwnerOrganizationId { get; set; }

    /// <summary>The publisher Microsoft verified (display name); null for an unverified publisher, as many illicit-consent apps are.</summary>
    public string? VerifiedPublisher { get; set; }
    public string SignInAudience { get; set; } = "AzureADMyOrg";
    public List<SimKeyCredential> KeyCredentials { get; set; } = [];
    public List<SimPasswordCredential> PasswordCredentials { get; set; } = [];
    public List<SimFederatedIdentityCredential> FederatedIdentityCredentials { get; set; } = [];
    public List<string> Owners { get; set; } = [];

    /// <summary>The application permissions this app exposes (Microsoft Graph's SP exposes Mail.Read, User.Read.All...).</summary>
    public List<SimAppRole> AppRoles { get; set; } = [];

    /// <summary>The delegated permissions this app exposes.</summary>
    public List<SimPermissionScope> Oauth2PermissionScopes { get; set; } = [];
}

/// <summary>A certificate. <see cref="Key"/> is the public certificate (base64); Graph returns it only on a single-object GET with $select.</summary>
public sealed class SimKeyCredential
{
    public string KeyId { get; set; } = "";
    public string? DisplayName { get; set; }
    public string Type { get; set; } = "AsymmetricX509Cert";
    public string Usage { get; set; } = "Verify";
    public DateTimeOffset? StartDateTime { get; set; }
    public DateTimeOffset? EndDateTime { get; set; }

    /// <summary>Base64 of the certificate thumbprint.</summary>
    public string? CustomKeyIdentifier { get; set; }

    public string? Key { get; set; }
}

/// <summary>A client secret. Its value is never stored: Graph shows it once, when it is created.</summary>
public sealed class SimPasswordCredential
{
    public string KeyId { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? Hint { get; set; }
    public DateTimeOffset? StartDateTime { get; set; }
    public DateTimeOffset? EndDateTime { get; set; }
}

/// <summary>A trust in another identity provider's tokens (GitHub Actions, Kubernetes...): a credential with no secret to steal.</summary>
public sealed class SimFederatedIdentityCredential
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Description { get; set; }
    public List<string> Audiences { get; set; } = ["api://AzureADTokenExchange"];
}

public sealed class SimAppRole
{
    public string Id { get; set; } = "";
    public string Value { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? Description { get; set; }
    public bool IsEnabled { get; set; } = true;
    public List<string> AllowedMemberTypes { get; set; } = ["Application"];
}

public sealed class SimPermissionScope
{
    public string Id { get; set; } = "";
    public string Value { get; set; } = "";
    public string Type { get; set; } = "User";
}

/// <summary>
/// One app role granted to a user, group or service principal (<see cref="PrincipalId"/>) on a resource service principal
/// (<see cref="ResourceId"/>). The same record is the resource's appRoleAssignedTo and the principal's appRoleAssignments.
/// </summary>
public sealed class SimAppRoleAssignment
{
    public string Id { get; set; } = "";

    /// <summary>00000000-0000-0000-0000-000000000000 is the default access role of an app that defines none.</summary>
    public string AppRoleId { get; set; } = "00000000-0000-0000-0000-000000000000";

    public string PrincipalId { get; set; } = "";
    public string PrincipalType { get; set; } = "User";
    public string? PrincipalDisplayName { get; set; }
    public string ResourceId { get; set; } = "";
    public string? ResourceDisplayName { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }
}

/// <summary>A delegated consent: the client app may act as users (all of them for AllPrincipals, one for Principal) with these scopes.</summary>
public sealed class SimOAuth2PermissionGrant
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ConsentType { get; set; } = "AllPrincipals";
    public string? PrincipalId { get; set; }
    public string ResourceId { get; set; } = "";

    /// <summary>Space-separated scope values, as Graph has them.</summary>
    public string Scope { get; set; } = "";
}

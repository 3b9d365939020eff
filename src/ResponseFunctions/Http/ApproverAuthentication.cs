using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using HttpRequestData = Microsoft.Azure.Functions.Worker.Http.HttpRequestData;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ResponseFunctions.Playbook.Approval.Links;

namespace ResponseFunctions.Http;

/// <summary>
/// Who is signed in, trusted only when the platform's authentication is verifiably on for this app. The
/// X-MS-CLIENT-PRINCIPAL headers are stripped from client requests only when App Service Authentication is enabled
/// (source: "Work with user identities in Azure App Service authentication", learn.microsoft.com/azure/app-service/
/// configure-authentication-user-identities); on a slot without it, locally, or on an excluded path anyone can set
/// them. So, in the default <see cref="ApproverAuthenticationMode.AppService"/> mode:
/// <list type="number">
/// <item>WEBSITE_AUTH_ENABLED must be True (the setting App Service sets when authentication is on; Microsoft.Identity.Web
/// reads the same one), else 503;</item>
/// <item>the Entra ID token App Service forwards in X-MS-TOKEN-AAD-ID-TOKEN (token store on; source: "Work with OAuth
/// tokens in Azure App Service authentication") must validate: issuer, audience (the app's client id), signature
/// against the issuer's OpenID configuration keys, lifetime; else 401;</item>
/// <item>the principal (object id, name, app roles) is read from that validated token, never from the headers, and an
/// X-MS-CLIENT-PRINCIPAL-ID that disagrees with it is refused.</item>
/// </list>
/// <see cref="ApproverAuthenticationMode.LocalDevelopment"/> trusts the headers as sent; it is explicit configuration
/// (Approvals:Authentication=LocalDevelopment), never a fallback, and is refused on App Service (WEBSITE_INSTANCE_ID set).
/// </summary>
public sealed class ApproverAuthentication
{
    public const string IdTokenHeader = "X-MS-TOKEN-AAD-ID-TOKEN";

    private readonly ApproverAuthenticationSettings _settings;
    private readonly Func<CancellationToken, Task<ICollection<SecurityKey>>> _signingKeys;
    private readonly TimeProvider _time;

    public ApproverAuthentication(ApproverAuthenticationSettings settings, Func<CancellationToken, Task<ICollection<SecurityKey>>> signingKeys, TimeProvider time)
    {
        _settings = settings;
        _signingKeys = signingKeys;
        _time = time;
    }

    /// <summary>The production wiring: settings from configuration, keys from the issuer's OpenID configuration (cached and refreshed).</summary>
    public static ApproverAuthentication FromConfiguration(IConfiguration configuration, TimeProvider time)
    {
        var settings = ApproverAuthenticationSettings.From(configuration);
        ConfigurationManager<OpenIdConnectConfiguration>? metadata = settings.Issuer is { Length: > 0 } issuer
            ? new(issuer.TrimEnd('/') + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true })
            : null;
        return new ApproverAuthentication(settings, async ct => metadata is null ? [] : (await metadata.GetConfigurationAsync(ct)).SigningKeys, time);
    }

    public ApproverAuthenticationMode Mode => _settings.Mode;

    /// <summary>The caller's principal, or why it is not trusted (401 no or bad sign-in, 503 platform authentication off).</summary>
    public async Task<AuthenticationCheck> AuthenticateAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        var headerPrincipal = ClientPrincipal.FromHeaders(First(request, ClientPrincipal.Header), First(request, ClientPrincipal.IdHeader), First(request, ClientPrincipal.NameHeader));
        if (_settings.Mode == ApproverAuthenticationMode.LocalDevelopment)
        {
            return _settings.RunningOnAppService
                ? AuthenticationCheck.Refused(HttpStatusCode.ServiceUnavailable, "Approvals:Authentication=LocalDevelopment is refused on App Service.")
                : headerPrincipal is null
                    ? AuthenticationCheck.Refused(HttpStatusCode.Unauthorized, "No principal (local development mode).")
                    : AuthenticationCheck.Trusted(headerPrincipal);
        }

        if (!_settings.PlatformAuthenticationEnabled)
        {
            return AuthenticationCheck.Refused(HttpStatusCode.ServiceUnavailable, "App Service Authentication is not enabled for this app (WEBSITE_AUTH_ENABLED is not True): no signed-in identity can be trusted.");
        }

        if (string.IsNullOrEmpty(_settings.Issuer) || string.IsNullOrEmpty(_settings.ClientId))
        {
            return AuthenticationCheck.Refused(HttpStatusCode.ServiceUnavailable, "The Entra issuer and client id of App Service Authentication are unknown (WEBSITE_AUTH_OPENID_ISSUER / WEBSITE_AUTH_CLIENT_ID or Approvals:Issuer / Approvals:ClientId).");
        }

        if (First(request, IdTokenHeader) is not { } idToken)
        {
            return AuthenticationCheck.Refused(HttpStatusCode.Unauthorized, $"No Entra ID token forwarded ({IdTokenHeader}; turn on the token store).");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = _settings.Issuer,
            ValidAudience = _settings.ClientId,
            IssuerSigningKeys = await _signingKeys(cancellationToken),
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            LifetimeValidator = (notBefore, expires, _, p) =>
                expires is { } e && e.ToUniversalTime() + p.ClockSkew > _time.GetUtcNow().UtcDateTime
                && (notBefore is null || notBefore.Value.ToUniversalTime() - p.ClockSkew <= _time.GetUtcNow().UtcDateTime),
        });
        if (!result.IsValid)
        {
            return AuthenticationCheck.Refused(HttpStatusCode.Unauthorized, $"The forwarded Entra token is not valid ({result.Exception?.GetType().Name ?? "rejected"}).");
        }

        var claims = result.ClaimsIdentity.Claims.ToList();
        string? Claim(params string[] types) => claims.FirstOrDefault(c => types.Contains(c.Type, StringComparer.Ordinal))?.Value;
        var objectId = Claim("oid", "http://schemas.microsoft.com/identity/claims/objectidentifier");
        var name = Claim("preferred_username", "upn", "name", ClaimTypes.Name);
        if (string.IsNullOrWhiteSpace(objectId) || string.IsNullOrWhiteSpace(name))
        {
            return AuthenticationCheck.Refused(HttpStatusCode.Unauthorized, "The forwarded Entra token names no user (oid, preferred_username).");
        }

        if (First(request, ClientPrincipal.IdHeader) is { } headerId && !string.Equals(headerId, objectId, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticationCheck.Refused(HttpStatusCode.Unauthorized, "X-MS-CLIENT-PRINCIPAL-ID does not match the forwarded token.");
        }

        var roles = claims.Where(c => c.Type is "roles" or ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        return AuthenticationCheck.Trusted(new ClientPrincipal(objectId, name, roles));
    }

    private static string? First(HttpRequestData request, string header) =>
        request.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() : null;
}

public enum ApproverAuthenticationMode
{
    /// <summary>Production: App Service Authentication must be on and its forwarded Entra token must validate.</summary>
    AppService,

    /// <summary>A developer's machine: principal headers are trusted as sent. Refused on App Service.</summary>
    LocalDevelopment,
}

/// <summary>What authentication decided: a trusted principal, or the status and reason of the refusal.</summary>
public sealed record AuthenticationCheck(ClientPrincipal? Principal, HttpStatusCode Status, string Reason)
{
    public static AuthenticationCheck Trusted(ClientPrincipal principal) => new(principal, HttpStatusCode.OK, "trusted");

    public static AuthenticationCheck Refused(HttpStatusCode status, string reason) => new(null, status, reason);
}

/// <summary>The platform's facts and the app's choice, read once from configuration (app settings and environment).</summary>
public sealed record ApproverAuthenticationSettings(
    ApproverAuthenticationMode Mode, bool PlatformAuthenticationEnabled, bool RunningOnAppService, string? Issuer, string? ClientId)
{
    public static ApproverAuthenticationSettings From(IConfiguration configuration) => new(
        string.Equals(configuration["Approvals:Authentication"], nameof(ApproverAuthenticationMode.LocalDevelopment), StringComparison.OrdinalIgnoreCase)
            ? ApproverAuthenticationMode.LocalDevelopment
            : ApproverAuthenticationMode.AppService,
        string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase),
        !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]),
        configuration["Approvals:Issuer"] is { Length: > 0 } issuer ? issuer : configuration["WEBSITE_AUTH_OPENID_ISSUER"],
        configuration["Approvals:ClientId"] is { Length: > 0 } clientId ? clientId : configuration["WEBSITE_AUTH_CLIENT_ID"]);
}

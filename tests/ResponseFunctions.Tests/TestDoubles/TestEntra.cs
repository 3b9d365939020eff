using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ResponseFunctions.Http;

namespace ResponseFunctions.Tests.TestDoubles;

/// <summary>A stand-in Entra issuer: its own RSA key, ID tokens as App Service forwards them, and the authentication that trusts it.</summary>
internal sealed class TestEntra
{
    public const string Issuer = "https://login.microsoftonline.com/72f988bf-0000-0000-0000-000000000000/v2.0";
    public const string ClientId = "6a1b2c3d-0000-0000-0000-0000000000aa";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };

    public ApproverAuthentication Authentication(bool platformAuthenticationEnabled = true, ApproverAuthenticationMode mode = ApproverAuthenticationMode.AppService, bool onAppService = true) =>
        new(new ApproverAuthenticationSettings(mode, platformAuthenticationEnabled, onAppService, Issuer, ClientId),
            _ => Task.FromResult<ICollection<SecurityKey>>([_key]), TimeProvider.System);

    public string IdToken(string objectId, string name, string[] roles, string audience = ClientId, RsaSecurityKey? signedWith = null, DateTime? expires = null)
    {
        var claims = new List<Claim> { new("oid", objectId), new("preferred_username", name) };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(signedWith ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }
}

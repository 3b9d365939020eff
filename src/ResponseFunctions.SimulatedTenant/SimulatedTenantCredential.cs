using Azure.Core;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// The credential for the simulated tenant: a fixed bearer token, so drills and tests take the same
/// TokenCredential → bearer path as Azure.Identity's credentials do against Microsoft Graph.
/// </summary>
public sealed class SimulatedTenantCredential : TokenCredential
{
    public const string Token = "simulated-tenant-token";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

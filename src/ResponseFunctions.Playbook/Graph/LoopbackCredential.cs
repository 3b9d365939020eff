using Azure.Core;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// The credential for a Graph endpoint on this machine (the simulated tenant): a fixed placeholder token, so drills
/// need no Azure sign-in and a real Graph token is never handed to a local process. Requests still take the same
/// TokenCredential → bearer path as with Azure.Identity's credentials.
/// </summary>
public sealed class LoopbackCredential : TokenCredential
{
    public const string Token = "loopback-simulated-tenant";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

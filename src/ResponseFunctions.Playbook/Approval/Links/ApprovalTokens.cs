using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>
/// The token an approval link carries: signed, expiring, bound to one containment instance and the requests it
/// may decide. Single use is enforced when it is spent (<see cref="IApprovalTokenLedger"/>), not here.
/// </summary>
public sealed class ApprovalTokens
{
    private readonly SignedPayload _signer;
    private readonly TimeProvider _time;

    public ApprovalTokens(IOptions<ApprovalOptions> options, TimeProvider time)
    {
        _signer = new SignedPayload(
            options.Value.KeyBytes() ?? throw new InvalidOperationException("Approvals:SigningKey must be base64 of at least 32 bytes."), "approval-link/v1");
        _time = time;
    }

    public string Issue(string instanceId, IReadOnlyList<string> requestIds, DateTimeOffset expires) =>
        _signer.Sign(new LinkToken(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), instanceId, [.. requestIds], expires.ToUnixTimeSeconds()));

    /// <summary>Checks signature, expiry and binding; the requests asked for must all be the token's.</summary>
    public TokenCheck Validate(string? token, string instanceId, IReadOnlyCollection<string>? requestIds = null)
    {
        if (_signer.Verify<LinkToken>(token) is not { Id.Length: > 0, InstanceId: not null, RequestIds: not null } link)
        {
            return new TokenCheck(TokenStatus.Invalid, null);
        }

        if (DateTimeOffset.FromUnixTimeSeconds(link.Expires) <= _time.GetUtcNow())
        {
            return new TokenCheck(TokenStatus.Expired, link);
        }

        if (!string.Equals(link.InstanceId, instanceId, StringComparison.Ordinal)
            || (requestIds is not null && !requestIds.All(r => link.RequestIds.Contains(r, StringComparer.Ordinal))))
        {
            return new TokenCheck(TokenStatus.Foreign, link);
        }

        return new TokenCheck(TokenStatus.Valid, link);
    }
}

/// <summary>The signed content of a link: <paramref name="Id"/> is what single use is recorded under.</summary>
public sealed record LinkToken(string Id, string InstanceId, IReadOnlyList<string> RequestIds, long Expires);

public sealed record TokenCheck(TokenStatus Status, LinkToken? Token);

public enum TokenStatus
{
    Valid,

    /// <summary>Malformed, or not signed with this key (tampered).</summary>
    Invalid,
    Expired,

    /// <summary>Signed, but for another containment or other requests.</summary>
    Foreign,
}

using Microsoft.Extensions.Options;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>
/// The approval form's anti-forgery token: HMAC-signed, bound to the signed-in principal and to the link token the
/// page was opened with, short-lived. A page opened by someone else, or for another link, cannot be submitted.
/// </summary>
public sealed class CsrfTokens
{
    private readonly SignedPayload _signer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public CsrfTokens(IOptions<ApprovalOptions> options, TimeProvider time)
    {
        _signer = new SignedPayload(
            options.Value.KeyBytes() ?? throw new InvalidOperationException("Approvals:SigningKey must be base64 of at least 32 bytes."), "approval-form/v1");
        _time = time;
        _lifetime = options.Value.FormLifetime;
    }

    public string Issue(string principalId, string linkTokenId) =>
        _signer.Sign(new FormToken(principalId, linkTokenId, (_time.GetUtcNow() + _lifetime).ToUnixTimeSeconds()));

    public bool IsValid(string? token, string principalId, string linkTokenId) =>
        _signer.Verify<FormToken>(token) is { } form
        && string.Equals(form.Principal, principalId, StringComparison.Ordinal)
        && string.Equals(form.Link, linkTokenId, StringComparison.Ordinal)
        && DateTimeOffset.FromUnixTimeSeconds(form.Expires) > _time.GetUtcNow();

    /// <summary>Genuinely this principal's form for this link, only too old: the page offers it again rather than crying forgery.</summary>
    public bool IsOwnExpired(string? token, string principalId, string linkTokenId) =>
        _signer.Verify<FormToken>(token) is { } form
        && string.Equals(form.Principal, principalId, StringComparison.Ordinal)
        && string.Equals(form.Link, linkTokenId, StringComparison.Ordinal)
        && DateTimeOffset.FromUnixTimeSeconds(form.Expires) <= _time.GetUtcNow();

    private sealed record FormToken(string Principal, string Link, long Expires);
}

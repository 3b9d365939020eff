using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>
/// "payload.signature", both base64url: a JSON payload authenticated with HMAC-SHA256 under a key derived per
/// purpose, so a link token can never be replayed as a form token or the other way round.
/// </summary>
internal sealed class SignedPayload
{
    private readonly byte[] _key;

    public SignedPayload(byte[] masterKey, string purpose) =>
        _key = HMACSHA256.HashData(masterKey, Encoding.UTF8.GetBytes("ResponseFunctions/" + purpose));

    public string Sign<T>(T payload)
    {
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload, Json));
        return body + "." + Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The payload if the signature is this key's; null for anything malformed or tampered.</summary>
    public T? Verify<T>(string? token)
        where T : class
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.IndexOf('.', dot + 1) >= 0)
        {
            return null;
        }

        var body = token[..dot];
        if (FromBase64Url(token[(dot + 1)..]) is not { } signature
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body)))
            || FromBase64Url(body) is not { } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => "!" };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

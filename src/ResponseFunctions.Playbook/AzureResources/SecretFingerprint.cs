using System.Security.Cryptography;
using System.Text;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// What the journal may say about a key: a SHA-256 fingerprint (first 16 hex digits). Enough to prove that an old key
/// and the current one differ, useless to rebuild either (the keys are 256+ random bits).
/// </summary>
public static class SecretFingerprint
{
    public static string Of(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];
}

using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace ResponseFunctions.Playbook.Journal.Blob;

/// <summary>
/// Where the blob service is and how requests to it are authorised: Microsoft Entra (managed identity, the
/// production way) or Shared Key from a connection string (Azurite, or accounts that still allow keys).
/// </summary>
public sealed class BlobAccount
{
    /// <summary>Azurite's well-known development account key (public, documented; not a secret).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly string[] StorageScope = ["https://storage.azure.com/.default"];

    private readonly TokenCredential? _credential;
    private readonly byte[]? _sharedKey;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken _token;

    private BlobAccount(Uri serviceUri, string accountName, TokenCredential? credential, byte[]? sharedKey)
    {
        ServiceUri = new Uri(serviceUri.ToString().TrimEnd('/') + "/");
        AccountName = accountName;
        _credential = credential;
        _sharedKey = sharedKey;
    }

    /// <summary>The blob endpoint, ending with '/': https://account.blob.core.windows.net/ or http://127.0.0.1:10000/devstoreaccount1/.</summary>
    public Uri ServiceUri { get; }

    public string AccountName { get; }

    public static BlobAccount WithCredential(Uri serviceUri, TokenCredential credential) =>
        new(serviceUri, serviceUri.Host.Split('.')[0], credential, null);

    /// <summary>"UseDevelopmentStorage=true", or AccountName/AccountKey with BlobEndpoint or DefaultEndpointsProtocol/EndpointSuffix.</summary>
    public static BlobAccount FromConnectionString(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return new BlobAccount(new Uri("http://127.0.0.1:10000/devstoreaccount1"), "devstoreaccount1", null, Convert.FromBase64String(DevelopmentKey));
        }

        var name = parts.GetValueOrDefault("AccountName") ?? throw new FormatException("The storage connection string has no AccountName.");
        var key = parts.GetValueOrDefault("AccountKey") ?? throw new FormatException("The storage connection string has no AccountKey (use Journal:BlobServiceUri for managed identity).");
        var endpoint = parts.TryGetValue("BlobEndpoint", out var blob)
            ? new Uri(blob)
            : new Uri($"{parts.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https"}://{name}.blob.{parts.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net"}");
        return new BlobAccount(endpoint, name, null, Convert.FromBase64String(key));
    }

    internal async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_credential is not null)
        {
            request.Headers.Authorization = new("Bearer", await TokenAsync(cancellationToken));
            return;
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {AccountName}:{SharedKeySignature(request)}");
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _tokenGate.WaitAsync(cancellationToken);
        try
        {
            if (_token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
            {
                _token = await _credential!.GetTokenAsync(new TokenRequestContext(StorageScope), cancellationToken);
            }

            return _token.Token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>Shared Key for the Blob service (versions 2015-02-21 and later: an empty Content-Length when zero).</summary>
    private string SharedKeySignature(HttpRequestMessage request)
    {
        string Header(string name) =>
            request.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : request.Content?.Headers.TryGetValues(name, out var contentValues) == true ? string.Join(",", contentValues)
            : string.Empty;

        var length = request.Content?.Headers.ContentLength is > 0 and var l ? l.ToString() : string.Empty;
        var canonicalHeaders = request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .Select(h => $"{h.Name}:{h.Value}\n");
        var uri = request.RequestUri!;
        var resource = new StringBuilder("/").Append(AccountName).Append(uri.AbsolutePath);
        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                     .Select(p => p.Split('=', 2))
                     .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            resource.Append('\n').Append(parameter.Key).Append(':')
                .Append(string.Join(",", parameter.Select(p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty).Order(StringComparer.Ordinal)));
        }

        var toSign = string.Join("\n",
            request.Method.Method, Header("Content-Encoding"), Header("Content-Language"), length, Header("Content-MD5"), Header("Content-Type"),
            string.Empty, Header("If-Modified-Since"), Header("If-Match"), Header("If-None-Match"), Header("If-Unmodified-Since"), Header("Range"))
            + "\n" + string.Concat(canonicalHeaders) + resource;
        return Convert.ToBase64String(HMACSHA256.HashData(_sharedKey!, Encoding.UTF8.GetBytes(toSign)));
    }
}

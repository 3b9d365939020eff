using System.Collections.Concurrent;
using System.Text;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>Where spent approval links are recorded. Spending must be atomic and durable: exactly one caller ever gets true per token id.</summary>
public interface IApprovalTokenLedger
{
    /// <summary>True the first time <paramref name="tokenId"/> is spent, false ever after.</summary>
    Task<bool> TrySpendAsync(string tokenId, string spentBy, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>In memory: tests, and nothing else (a restart would make links reusable).</summary>
public sealed class InMemoryTokenLedger : IApprovalTokenLedger
{
    private readonly ConcurrentDictionary<string, string> _spent = new(StringComparer.Ordinal);

    public Task<bool> TrySpendAsync(string tokenId, string spentBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(_spent.TryAdd(tokenId, spentBy));
}

/// <summary>
/// One file per spent token, created with <see cref="FileMode.CreateNew"/>: the file system refuses the second
/// creation atomically, across processes sharing the folder (App Service's HOME share included).
/// </summary>
public sealed class FolderTokenLedger(string folder) : IApprovalTokenLedger
{
    public async Task<bool> TrySpendAsync(string tokenId, string spentBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Token ids are 32 hex characters from the signed payload, so they are safe file names.
        if (tokenId.Length != 32 || !tokenId.All(Uri.IsHexDigit))
        {
            return false;
        }

        Directory.CreateDirectory(folder);
        try
        {
            await using var file = new FileStream(Path.Combine(folder, tokenId + ".spent"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            await file.WriteAsync(Encoding.UTF8.GetBytes($"{at:O} {spentBy}\n"), cancellationToken);
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, tokenId + ".spent")))
        {
            return false;
        }
    }
}

using System.Text;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>
/// Spent approval links as blobs created with If-None-Match: *: the storage service accepts exactly one creation
/// per token id, whichever app instance asks, and keeps the record across restarts.
/// </summary>
public sealed class BlobTokenLedger(BlobStore store, string container = BlobTokenLedger.DefaultContainer) : IApprovalTokenLedger
{
    public const string DefaultContainer = "approval-links";

    private volatile bool _containerReady;

    public async Task<bool> TrySpendAsync(string tokenId, string spentBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (tokenId.Length != 32 || !tokenId.All(Uri.IsHexDigit))
        {
            return false;
        }

        if (!_containerReady)
        {
            await store.EnsureContainerAsync(container, cancellationToken);
            _containerReady = true;
        }

        return await store.CreateIfNotExistsAsync(container, tokenId + ".spent", Encoding.UTF8.GetBytes($"{at:O} {spentBy}\n"), cancellationToken);
    }
}

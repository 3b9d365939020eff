using ResponseFunctions.Playbook.Approval.Links;

namespace ResponseFunctions.Playbook.Tests.Journal;

[Collection(AzuriteCollection.Name)]
public sealed class BlobTokenLedgerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TrySpend_SameTokenFromTwoInstances_OnlyFirstSucceeds()
    {
        var container = AzuriteFixture.NewContainer();
        var tokenId = Guid.NewGuid().ToString("N");

        var first = await new BlobTokenLedger(azurite.Store, container).TrySpendAsync(tokenId, "bob", DateTimeOffset.UnixEpoch, CancellationToken.None);
        var second = await new BlobTokenLedger(azurite.Store, container).TrySpendAsync(tokenId, "bob", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
    }
}

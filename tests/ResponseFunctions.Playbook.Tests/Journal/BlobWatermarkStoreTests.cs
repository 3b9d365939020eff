using ResponseFunctions.Playbook.Intake.IdentityProtection;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>The Identity Protection watermark in a blob, against Azurite: create-once, then If-Match by ETag.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobWatermarkStoreTests(AzuriteFixture azurite)
{
    private static readonly Watermark First = new(new DateTimeOffset(2026, 11, 20, 3, 20, 0, TimeSpan.Zero), ["d1"]);
    private readonly string _container = AzuriteFixture.NewContainer();

    [Fact]
    public async Task WriteThenRead_NewContainer_CreatesItAndSurvivesARestart()
    {
        var store = new BlobWatermarkStore(azurite.Store, _container);

        Assert.Null(await store.ReadAsync("w", CancellationToken.None));
        await store.WriteAsync("w", First, CancellationToken.None);
        var restarted = await new BlobWatermarkStore(azurite.Store, _container).ReadAsync("w", CancellationToken.None);

        Assert.Equal(First.At, restarted?.At);
        Assert.Equal(["d1"], restarted?.IdsAtWatermark);
    }

    [Fact]
    public async Task Write_AnotherPollWroteMeanwhile_FailsInsteadOfMovingTheWatermarkBack()
    {
        var slow = new BlobWatermarkStore(azurite.Store, _container);
        var fast = new BlobWatermarkStore(azurite.Store, _container);
        await slow.ReadAsync("w", CancellationToken.None);
        await fast.ReadAsync("w", CancellationToken.None);
        await fast.WriteAsync("w", First, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => slow.WriteAsync("w", First with { At = First.At.AddHours(-1) }, CancellationToken.None));

        Assert.Equal(First.At, (await new BlobWatermarkStore(azurite.Store, _container).ReadAsync("w", CancellationToken.None))?.At);
    }
}

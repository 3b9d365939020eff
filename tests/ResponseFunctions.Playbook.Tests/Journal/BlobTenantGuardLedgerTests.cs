using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>The tenant-wide guard lock as a blob lease, and the untrusted users, against Azurite: shared by every app instance.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobTenantGuardLedgerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TryLock_HeldByAnotherInstance_RefusedUntilReleased()
    {
        var container = AzuriteFixture.NewContainer();
        var first = new BlobTenantGuardLedger(azurite.Store, container);
        var second = new BlobTenantGuardLedger(azurite.Store, container);

        var held = await first.TryLockAsync(CancellationToken.None);
        var whileHeld = await second.TryLockAsync(CancellationToken.None);
        await held!.DisposeAsync();
        var afterRelease = await second.TryLockAsync(CancellationToken.None);

        Assert.NotNull(held);
        Assert.Null(whileHeld);
        Assert.NotNull(afterRelease);
        await afterRelease!.DisposeAsync();
    }

    [Fact]
    public async Task MarkUntrusted_SeenByAnotherInstanceUntilItExpires()
    {
        var container = AzuriteFixture.NewContainer();
        var at = new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
        await new BlobTenantGuardLedger(azurite.Store, container).MarkUntrustedAsync("7D2E4F60-1A3B-4C5D-8E9F-0A1B2C3D4E02", "named by incident INC-A", at, CancellationToken.None);

        var other = new BlobTenantGuardLedger(azurite.Store, container);

        Assert.Contains("7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e02", await other.UntrustedAsync(at.AddDays(1), CancellationToken.None));
        Assert.Empty(await other.UntrustedAsync(at.AddDays(8), CancellationToken.None));
    }
}

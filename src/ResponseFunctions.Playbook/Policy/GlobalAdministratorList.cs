using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// The tenant's Global Administrators as the guard reads them, shared by every step of the process. Reading the list
/// costs a role-assignment query and one read per administrator (or group), and the guard asks before planning and
/// again before applying every lockout step: re-reading it each time cost 24 of Case 1's 56 requests per account.
/// <para>
/// <see cref="RecentAsync"/> serves a list at most <see cref="Lifetime"/> old (one read at a time refreshes it). The
/// guard uses it only to answer "is the target a Global Administrator at all?"; whenever the answer is yes, the count
/// of trusted administrators that decides is made on <see cref="FreshAsync"/>, a new read (at apply time under the
/// tenant-wide lock). What a recent list can miss is an account made Global Administrator by someone else within the
/// last <see cref="Lifetime"/>: the playbook's own changes only ever take the role away from, or lock out, targets that
/// the guard never counts as trusted anyway, and the users an open containment names or this playbook changed come from
/// the <see cref="ITenantGuardLedger"/>, read at every check.
/// </para>
/// </summary>
public sealed class GlobalAdministratorList(DirectoryReader directory, TimeProvider time)
{
    /// <summary>How long a read of the list answers "is this target a Global Administrator?".</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _last;

    /// <summary>Reads of the list made since the process started (each costs Graph requests).</summary>
    public int Reads => Volatile.Read(ref _reads);

    private int _reads;

    /// <summary>A list read at most <see cref="Lifetime"/> ago, or a new one.</summary>
    public async Task<IReadOnlyList<User>> RecentAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } recent)
        {
            return recent;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Whoever waited behind a refresh uses it rather than reading again.
            return Current() ?? await ReadAsync(cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>A list read now (it also refreshes what <see cref="RecentAsync"/> serves).</summary>
    public Task<IReadOnlyList<User>> FreshAsync(CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    private IReadOnlyList<User>? Current() =>
        Volatile.Read(ref _last) is { } last && time.GetUtcNow() - last.ReadAt < Lifetime ? last.Admins : null;

    private async Task<IReadOnlyList<User>> ReadAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var admins = await directory.GlobalAdministratorsAsync(cancellationToken);
        Interlocked.Increment(ref _reads);

        // Dated from when the read began: a list is never taken for fresher than it is.
        Volatile.Write(ref _last, new Snapshot(startedAt, admins));
        return admins;
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyList<User> Admins);
}

using System.Text;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Teams;

namespace ResponseFunctions.Cli.Bench;

/// <summary>Counts approval requests and measures the Teams card each would post (Teams refuses a message above 28 KB); sends nothing.</summary>
internal sealed class CardMeter : IApprovalNotifier
{
    private static readonly Uri PageUrl = new("https://responsefunctions.example/approvals/page");
    private int _requests;
    private int _largestCardBytes;

    public int Requests => Volatile.Read(ref _requests);

    public int LargestCardBytes => Volatile.Read(ref _largestCardBytes);

    public Task<CardDelivery> NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var bytes = Encoding.UTF8.GetByteCount(ApprovalCards.Request(request, [], PageUrl).ToJsonString());
        int seen;
        do
        {
            seen = LargestCardBytes;
        }
        while (bytes > seen && Interlocked.CompareExchange(ref _largestCardBytes, bytes, seen) != seen);

        return Task.FromResult(new CardDelivery(CardDeliveryStatus.NoChannel, "bench: measured, not sent"));
    }
}

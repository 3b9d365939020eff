namespace ResponseFunctions.Playbook.Approval;

/// <summary>Tells approvers that a decision is waiting (Teams card, console, nothing). Sending twice must be harmless.</summary>
public interface IApprovalNotifier
{
    /// <summary>Sends the request's card; says whether the channel took it (never whether anybody saw it). Must not throw for delivery failures.</summary>
    Task<CardDelivery> NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken);

    /// <summary>A step's gate ended (approved, rejected, timed out, waiting for a second approver) or the step was applied. Must not throw for delivery failures.</summary>
    Task NotifyFollowUpAsync(ApprovalFollowUp followUp, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>For hosts where approvers use the status endpoint or the page: the request, with what they must see, is already in the main courante.</summary>
public sealed class NoApprovalNotifier : IApprovalNotifier
{
    public Task<CardDelivery> NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CardDelivery(CardDeliveryStatus.NoChannel, "No card channel is configured."));
}

/// <summary>What became of a card on our side of the channel.</summary>
public enum CardDeliveryStatus
{
    /// <summary>The channel accepted it. A Teams Workflows trigger answers 202 and posts later: the card may still fail in the flow, and nobody is known to have seen it.</summary>
    Sent,

    /// <summary>Refused, unreachable, or not sendable.</summary>
    NotSent,

    NoChannel,
}

/// <summary>The card's fate as far as we can know it, and why.</summary>
public sealed record CardDelivery(CardDeliveryStatus Status, string Detail)
{
    /// <summary>The journal outcome: "card:sent", "card:not-sent", "card:no-channel" — never "seen" or "delivered".</summary>
    public string Outcome => Status switch
    {
        CardDeliveryStatus.Sent => "card:sent",
        CardDeliveryStatus.NotSent => "card:not-sent",
        _ => "card:no-channel",
    };
}

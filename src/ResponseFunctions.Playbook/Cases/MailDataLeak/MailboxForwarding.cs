using ResponseFunctions.Playbook.Exchange;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>A mailbox's own forwarding (Get-Mailbox), apart from its inbox rules.</summary>
public sealed record MailboxForwarding(string? SmtpAddress, string? Address, bool DeliverAndForward)
{
    public bool IsSet => !string.IsNullOrEmpty(SmtpAddress) || !string.IsNullOrEmpty(Address);

    public string Describe() => $"ForwardingSmtpAddress={SmtpAddress ?? "none"}, ForwardingAddress={Address ?? "none"}, DeliverToMailboxAndForward={DeliverAndForward}";

    public static async Task<MailboxForwarding> ReadAsync(IExchangeOnline exchange, string mailbox, CancellationToken cancellationToken)
    {
        var box = (await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").AnchoredTo(mailbox).With("Identity", mailbox)
            .Selecting("Identity", "UserPrincipalName", "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward"), cancellationToken)).Single();
        return new MailboxForwarding(Mail.Str(box, "ForwardingSmtpAddress"), Mail.Str(box, "ForwardingAddress"), Mail.Bool(box, "DeliverToMailboxAndForward") ?? false);
    }

    /// <summary>Both forwarding addresses cleared, and the copy-and-forward switch off.</summary>
    public static Task<ExchangeResult> ClearAsync(IExchangeOnline exchange, string mailbox, CancellationToken cancellationToken) =>
        exchange.InvokeAsync(ExchangeCommand.For("Set-Mailbox").AnchoredTo(mailbox)
            .With("Identity", mailbox).With("ForwardingSmtpAddress", (string?)null).With("ForwardingAddress", (string?)null)
            .With("DeliverToMailboxAndForward", false), cancellationToken);
}

using ResponseFunctions.Playbook.Exchange;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>What 5.d reads: every mailbox's POP, IMAP and SMTP AUTH, and the organisation's SMTP AUTH (the journaled shape release reads back).</summary>
public sealed record LegacyProtocols(IReadOnlyList<CasMailbox> Mailboxes, bool TenantSmtpAuthDisabled)
{
    public static async Task<LegacyProtocols> ReadAsync(IExchangeOnline exchange, CancellationToken cancellationToken)
    {
        var mailboxes = (await exchange.InvokeAsync(ExchangeCommand.For("Get-CASMailbox").With("ResultSize", "Unlimited")
                .Selecting("Identity", "PrimarySmtpAddress", "ExternalDirectoryObjectId", "PopEnabled", "ImapEnabled", "SmtpClientAuthenticationDisabled"), cancellationToken))
            .Select(m => new CasMailbox(Mail.Str(m, "PrimarySmtpAddress") ?? Mail.Str(m, "Identity") ?? "?", Mail.Str(m, "ExternalDirectoryObjectId"),
                Mail.Bool(m, "PopEnabled") == true, Mail.Bool(m, "ImapEnabled") == true, Mail.Bool(m, "SmtpClientAuthenticationDisabled")))
            .ToList();
        var config = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportConfig").Selecting("SmtpClientAuthenticationDisabled"), cancellationToken)).Single();
        return new LegacyProtocols(mailboxes, Mail.Bool(config, "SmtpClientAuthenticationDisabled") == true);
    }
}

/// <param name="SmtpAuthDisabled">true: off for this mailbox; false: explicitly on; null: follows the organisation.</param>
public sealed record CasMailbox(string Upn, string? UserId, bool Pop, bool Imap, bool? SmtpAuthDisabled)
{
    public IReadOnlyList<string> Legacy { get; } =
        [.. new[] { Pop ? "POP" : null, Imap ? "IMAP" : null, SmtpAuthDisabled == false ? "SMTP AUTH" : null }.OfType<string>()];

    public string Describe() => $"POP {(Pop ? "on" : "off")}, IMAP {(Imap ? "on" : "off")}, SMTP AUTH {SmtpAuthDisabled switch { true => "off", false => "on", null => "organisation setting" }}";
}

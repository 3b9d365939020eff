using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>The "bec" and "spam-relay" scenarios: their addresses, the policy a Contoso responder would set, the incidents.</summary>
internal static class Mailboxes
{
    public const string Adele = "adele.vance@contoso.onmicrosoft.com";
    public const string Megan = "megan.bowen@contoso.onmicrosoft.com";
    public const string Finance = "finance@contoso.onmicrosoft.com";
    public const string FinanceUserId = "f1a2b3c4-0000-4000-8000-00000000f001";
    public const string Scanner = "scanner@contoso.onmicrosoft.com";
    public const string Attacker = "svc-mailsync@contoso.onmicrosoft.com";

    public static void BecPolicy(ContainmentPolicy policy)
    {
        policy.Mail.LegacyProtocolAllowList = [Scanner];
        policy.Mail.DelegationBaseline =
        [
            new() { Mailbox = Adele, Trustee = Megan, Rights = ["FullAccess", "SendOnBehalf"] },
            new() { Mailbox = Finance, Trustee = Megan, Rights = ["FullAccess", "SendAs"] },
            new() { Mailbox = Finance, Trustee = Adele, Rights = ["FullAccess"] },
        ];
        policy.Mail.IncidentAttachmentExtensions = ["iso", "one"];
    }

    public static void SpamRelayPolicy(ContainmentPolicy policy)
    {
        policy.Mail.AllowListBaseline = ["partner.example"];
        policy.Mail.TrustedSendersBaseline = ["ceo@partner.example"];
        policy.Mail.TrustedDomainsBaseline = ["partner.example"];
        policy.Mail.AtRiskUsers = [Megan, Adele];
        policy.Mail.OutboundSpam.NotifyRecipients = ["soc@contoso.com"];
    }

    public static ContainmentRequest Bec(ContainmentMode mode = ContainmentMode.Contain) =>
        new("INC-BEC-1", [CaseId.MailDataLeak], new ContainmentTargets([Adele], [], []) { Mailboxes = [Finance] }, mode, "bec drill", "tester@contoso.onmicrosoft.com");

    public static ContainmentRequest SpamRelay(ContainmentMode mode = ContainmentMode.Contain) =>
        new("INC-SPAM-1", [CaseId.SpamRelay], new ContainmentTargets([], [], []) { Domains = ["bulk-mailer.example", "cheap-pills.example"] }, mode, "spam drill",
            "tester@contoso.onmicrosoft.com");
}

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>Configuration section "Teams": where approval cards go.</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>
    /// The HTTP POST URL of a Teams Workflows flow "When a Teams webhook request is received" (Post card in a chat or
    /// channel). It carries a SAS signature (sig=): a secret, held in Key Vault, never logged.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>"fr" or "en": the cards' language (a channel has no Accept-Language). Sheet ids and tenant values are never translated.</summary>
    public string Language { get; set; } = "en";
}

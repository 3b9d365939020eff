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
}

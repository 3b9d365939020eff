namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>Configuration section "Approvals": how approval links are signed and where the approval page lives.</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Approvals";

    /// <summary>The Entra app role an approver must hold (assigned in the app registration / enterprise application).</summary>
    public const string ApproverRole = "Containment.Approver";

    /// <summary>
    /// HMAC-SHA256 key of the approval links and forms: base64, at least 32 bytes (e.g. <c>openssl rand -base64 32</c>).
    /// A secret: keep it in Key Vault (a Key Vault reference in app settings), never in source or logs.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The public root of the Functions app as approvers reach it, e.g. https://rf-contoso.azurewebsites.net.</summary>
    public Uri? PageBaseUrl { get; set; }

    /// <summary>
    /// The approvers' time zone (IANA id, e.g. Europe/Paris): the page shows deadlines in it as well as in UTC. A page
    /// without script cannot learn the browser's zone, so it is configuration. Unknown or empty: UTC only.
    /// </summary>
    public string? TimeZone { get; set; } = "Europe/Paris";

    /// <summary>The zone of <see cref="TimeZone"/>, UTC when unset or unknown to the host.</summary>
    public TimeZoneInfo Zone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Utc
        : TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>How long a submitted form stays valid after the page was shown.</summary>
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The key bytes, or null when missing or too short (the validator names the problem).</summary>
    public byte[]? KeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(SigningKey);
            return bytes.Length >= 32 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

namespace ResponseFunctions.Playbook.Intake;

/// <summary>
/// Where a containment's incident comes from. <see cref="SentinelIncidentArmId"/> is set only for a Microsoft Sentinel
/// incident: it is where the containment writes its comments back; everything else is for people.
/// </summary>
/// <param name="System">"Microsoft Sentinel" or "Entra ID Protection".</param>
/// <param name="Reference">The source's own id: the incident ARM id, the alert's SystemAlertId, the risk detection id.</param>
/// <param name="Number">What people call it: the incident number, the detection's riskEventType.</param>
public sealed record IncidentSource(string System, string Reference, string? Number, string? Title)
{
    public const string Sentinel = "Microsoft Sentinel";
    public const string IdentityProtection = "Entra ID Protection";

    public string? SentinelIncidentArmId { get; init; }

    public string? Url { get; init; }
}

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// How many targets one containment may name, whatever started it (manual API, Sentinel, Identity Protection):
/// an incident naming thousands of accounts must not start a containment of tens of thousands of steps, pre-approved
/// ones included. Above <see cref="MaxTargetsPerList"/>, the mass-compromise path (off by default) may still start
/// it, but then every step waits for a person: no pre-approval and no apply-on-timeout.
/// </summary>
public sealed class IntakeLimits
{
    public const int DefaultMaxTargetsPerList = 100;

    /// <summary>
    /// The most a mass-compromise containment may name per list: its steps run in waves with grouped approvals, and a
    /// request body of this many UPNs still fits the API's 256 KB.
    /// </summary>
    public const int MassCompromiseCeiling = 5_000;

    /// <summary>Most users, IPs, applications, mailboxes, domains or resources per list for an ordinary containment.</summary>
    public int MaxTargetsPerList { get; set; } = DefaultMaxTargetsPerList;

    /// <summary>Above <see cref="MaxTargetsPerList"/> and up to this, a mass-compromise containment that always needs a person; 0 (default) refuses.</summary>
    public int MassCompromiseMaxTargetsPerList { get; set; }

    /// <summary>The verdict for a request's targets: ordinary, mass compromise (a person decides every step), or refused.</summary>
    public IntakeVolume Judge(Requests.ContainmentTargets targets)
    {
        var largest = new[] { targets.Users.Count, targets.Ips.Count, targets.Countries.Count, targets.Applications.Count, targets.Mailboxes.Count, targets.Domains.Count, targets.Resources.Count }.Max();
        return largest <= MaxTargetsPerList ? IntakeVolume.Ordinary
            : largest <= MassCompromiseMaxTargetsPerList ? IntakeVolume.MassCompromise
            : IntakeVolume.Refused;
    }
}

public enum IntakeVolume
{
    Ordinary,
    MassCompromise,
    Refused,
}

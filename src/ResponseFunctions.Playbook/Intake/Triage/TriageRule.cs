namespace ResponseFunctions.Playbook.Intake.Triage;

/// <summary>
/// One line of the triage table: which alerts call for which of the sheet's cases. A rule matches an alert when its
/// product is one of <see cref="Products"/> (any product when empty) and, if any of <see cref="AlertTypes"/>,
/// <see cref="Tactics"/> and <see cref="Keywords"/> is given, at least one of them matches. Comparisons ignore case.
/// </summary>
public sealed class TriageRule
{
    public string Name { get; set; } = "";

    /// <summary>The sheet's case numbers, 1 to 5.</summary>
    public List<int> Cases { get; set; } = [];

    /// <summary>Alert product names, e.g. "Microsoft Defender for Cloud".</summary>
    public List<string> Products { get; set; } = [];

    /// <summary>Alert types or analytics rule names, matched whole (a scheduled rule's alerts carry the rule's name).</summary>
    public List<string> AlertTypes { get; set; } = [];

    /// <summary>MITRE ATT&amp;CK tactics, e.g. "Exfiltration".</summary>
    public List<string> Tactics { get; set; } = [];

    /// <summary>Phrases looked for in the incident title and the alert names.</summary>
    public List<string> Keywords { get; set; } = [];
}

/// <summary>Configuration section <c>Intake:Triage</c>: the default table (from the sheet's attacks considered) and local rules.</summary>
public sealed class TriageOptions
{
    public const string SectionName = "Intake:Triage";

    /// <summary>Whether <see cref="TriageTable.Defaults"/> apply; false to use only <see cref="Rules"/>.</summary>
    public bool IncludeDefaults { get; set; } = true;

    /// <summary>Rules of this organisation, applied besides the defaults.</summary>
    public List<TriageRule> Rules { get; set; } = [];

    public TriageTable ToTable() => new([.. IncludeDefaults ? TriageTable.Defaults : [], .. Rules]);
}

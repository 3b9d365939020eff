using System.Globalization;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// The two languages of the approval page and cards: French (the sheet's language) and English. The page follows the
/// browser's Accept-Language; cards follow configuration (<c>Teams:Language</c>), since a channel has no browser.
/// Dates are formatted here rather than by CultureInfo: the app runs with invariant globalization (no ICU data).
/// </summary>
public sealed record PageLanguage(string Tag)
{
    public static PageLanguage English { get; } = new("en");

    public static PageLanguage French { get; } = new("fr");

    public bool IsFrench => Tag == "fr";

    /// <summary>"fr" or "en" (any region); anything else, or nothing, is English.</summary>
    public static PageLanguage FromTag(string? tag) =>
        tag?.Trim().StartsWith("fr", StringComparison.OrdinalIgnoreCase) == true ? French : English;

    /// <summary>The best of French and English for an Accept-Language header (RFC 9110 §12.5.4: quality values, the first wins a tie).</summary>
    public static PageLanguage FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 1024)
        {
            return English;
        }

        var best = header.Split(',')
            .Select((part, order) =>
            {
                var pieces = part.Split(';');
                var q = pieces.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)) is { } qs
                    && double.TryParse(qs[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1.0;
                return (Tag: pieces[0].Trim(), Q: q, Order: order);
            })
            .Where(t => t.Q > 0 && (IsLanguage(t.Tag, "fr") || IsLanguage(t.Tag, "en")))
            .OrderByDescending(t => t.Q).ThenBy(t => t.Order)
            .Select(t => t.Tag)
            .FirstOrDefault();
        return FromTag(best);
    }

    /// <summary>"sam. 14 mars 2026, 10:00" / "Sat 14 Mar 2026, 10:00": day and month in words, 24-hour clock, no ambiguity between 03/04 and 04/03.</summary>
    public string Date(DateTime at)
    {
        var day = IsFrench ? FrenchDays[(int)at.DayOfWeek] : EnglishDays[(int)at.DayOfWeek];
        var month = IsFrench ? FrenchMonths[at.Month - 1] : EnglishMonths[at.Month - 1];
        return string.Create(CultureInfo.InvariantCulture, $"{day} {at.Day} {month} {at.Year}, {at:HH:mm}");
    }

    /// <summary>"27 min", "1 h 05", or "expired"/"dépassée".</summary>
    public string Remaining(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return IsFrench ? "échéance dépassée" : "deadline passed";
        }

        var minutes = (int)Math.Ceiling(left.TotalMinutes);
        return minutes < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60:00}");
    }

    private static bool IsLanguage(string tag, string language) =>
        tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] FrenchDays = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];
    private static readonly string[] EnglishDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] FrenchMonths = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    private static readonly string[] EnglishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>
/// Keeps every card under Teams' message size limit: a plan's changes, evidence and warnings are cut to the first N
/// with a summary count and "…and N more", the full list being on the approval page the card links to. N halves until
/// the posted message fits, whatever the card's layout.
/// </summary>
/// <remarks>
/// Source: Teams messages (cards included) are limited to about 28 KB ("Request Entity too large" in the flow's run
/// history) — learn.microsoft.com/connectors/teams ("Known issues and limitations": "the message size limit is about 28 KB", "Request Entity too large") and
/// ../shared/reference/microsoft-apis.md §10b. A Workflows trigger answers 202 before it posts, so an oversized card is
/// lost silently: the cap must hold before sending. The budget keeps a margin for the flow's own envelope.
/// </remarks>
public static class CardSizeCap
{
    /// <summary>Teams' limit, about 28 KB.</summary>
    public const int TeamsLimitBytes = 28 * 1024;

    /// <summary>What a card may take, leaving room for the envelope Workflows adds.</summary>
    public const int BudgetBytes = 24 * 1024;

    private const int FirstItems = 25;
    private const int LongestText = 1000;

    /// <summary>The request card, its lists capped so the message fits in <see cref="BudgetBytes"/>.</summary>
    public static JsonObject Request(ApprovalRequest request, IReadOnlyList<string> targetRoles, Uri pageUrl, Page.PageLanguage language)
    {
        for (var shown = FirstItems; ; shown /= 2)
        {
            var message = ApprovalCards.Request(Capped(request, shown), targetRoles, pageUrl, language);
            if (SizeOf(message) <= BudgetBytes || shown == 0)
            {
                return message;
            }
        }
    }

    /// <summary>The UTF-8 size of the message as it is posted.</summary>
    public static int SizeOf(JsonObject message) => JsonSerializer.SerializeToUtf8Bytes(message).Length;

    /// <summary>The request with at most <paramref name="shown"/> items per list, each list summarised when cut.</summary>
    public static ApprovalRequest Capped(ApprovalRequest request, int shown)
    {
        var changes = request.Changes.Count <= shown
            ? request.Changes.Select(c => c with { Description = Short(c.Description) }).ToList()
            : [.. request.Changes.Take(shown).Select(c => c with { Description = Short(c.Description) }),
                new MoreChanges($"…and {More(request.Changes.Count - shown)} more change(s): the full list is on the approval page")];
        var evidence = request.Evidence.Count <= shown
            ? request.Evidence.Select(e => e with { Value = Short(e.Value) }).ToList()
            : [.. request.Evidence.Take(shown).Select(e => e with { Value = Short(e.Value) }),
                new Evidence("…", $"and {More(request.Evidence.Count - shown)} more item(s) of evidence on the approval page")];
        var warnings = request.Warnings.Count <= shown
            ? request.Warnings.Select(Short).ToList()
            : [.. request.Warnings.Take(shown).Select(Short), $"…and {More(request.Warnings.Count - shown)} more warning(s) on the approval page"];
        var cut = changes.Count != request.Changes.Count || evidence.Count != request.Evidence.Count || warnings.Count != request.Warnings.Count;
        var summary = cut
            ? $"{Short(request.Summary)} ({More(request.Changes.Count)} change(s), {More(request.Evidence.Count)} item(s) of evidence, {More(request.Warnings.Count)} warning(s); the first {shown} of each are shown here)"
            : Short(request.Summary);
        return request with { Summary = summary, Changes = changes, Evidence = evidence, Warnings = warnings };
    }

    private static string More(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string text) => text.Length <= LongestText ? text : text[..LongestText] + "… (see the approval page)";
}

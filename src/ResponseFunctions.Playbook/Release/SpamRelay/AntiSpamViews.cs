using System.Text.Json;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.SpamRelay;

/// <summary>What the release of 4.c compares: a Strict preset rule's scope and the outbound spam policy, read from the tenant or from 4.c's journal.</summary>
internal static class AntiSpamViews
{
    public static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(b.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
}

/// <summary>A preset rule's scope: the six recipient lists and its state, read from the cmdlet's object or the journal (camelCase).</summary>
internal sealed record PresetView(string Kind, string Identity, bool Enabled, IReadOnlyList<IReadOnlyList<string>> Lists)
{
    private static readonly string[] Names = ["SentTo", "SentToMemberOf", "RecipientDomainIs", "ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"];

    public IReadOnlyList<string> SentTo => Lists[0];

    public IReadOnlyList<string> ExceptIfSentTo => Lists[3];

    public static PresetView Of(string kind, JsonElement rule, string identity, string state, Func<string, string> name) =>
        new(kind, Mail.Str(rule, identity) ?? "?", Mail.Str(rule, state) == "Enabled", [.. Names.Select(n => Mail.Strings(rule, name(n)))]);

    public bool SameScope(PresetView other) => Enabled == other.Enabled && Lists.Zip(other.Lists).All(l => AntiSpamViews.Same(l.First, l.Second));

    public string Describe() =>
        $"{(Enabled ? "on" : "off")}; " + string.Join("; ", Names.Zip(Lists).Where(l => l.Second.Count > 0).Select(l => $"{l.First} {string.Join(", ", l.Second)}").DefaultIfEmpty("no recipient condition"));
}

internal sealed record OutboundView(int ExternalPerHour, int InternalPerHour, int PerDay, string Action, bool Notify, IReadOnlyList<string> NotifyRecipients)
{
    public bool Equals(OutboundView? other) =>
        other is not null && (ExternalPerHour, InternalPerHour, PerDay, Notify) == (other.ExternalPerHour, other.InternalPerHour, other.PerDay, other.Notify)
        && string.Equals(Action, other.Action, StringComparison.OrdinalIgnoreCase) && AntiSpamViews.Same(NotifyRecipients, other.NotifyRecipients);

    public override int GetHashCode() => HashCode.Combine(ExternalPerHour, InternalPerHour, PerDay);

    public string Describe() =>
        $"limits external/h {ExternalPerHour}, internal/h {InternalPerHour}, per day {PerDay} (0 = service default); over the limit: {Action}; notify admins: {(Notify ? "yes" : "no")}"
        + (NotifyRecipients.Count == 0 ? string.Empty : $" ({string.Join(", ", NotifyRecipients)})");
}

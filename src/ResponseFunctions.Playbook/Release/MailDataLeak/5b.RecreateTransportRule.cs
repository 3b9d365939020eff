using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>A removed transport rule re-created, disabled, from its exported definition (the settings New-TransportRule takes).</summary>
public sealed record RecreateTransportRuleChange(string ResourceId, string Description, JsonElement Definition) : PlannedChange(ResourceId, Description);

/// <summary>The re-created rule switched on, as it was before the containment.</summary>
public sealed record EnableTransportRuleChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.b — re-create a removed transport rule from the definition the containment exported, one rule per step
/// and per approval (it was judged illegitimate). The rule is created disabled, then enabled only if it was enabled
/// before. A rule of that name existing again is left as it is, and conditions or actions the export holds but the
/// release cannot set are named for a person.
/// </summary>
/// <remarks>Exchange: Get-/New-/Enable-TransportRule, as 5.b and 5.e.</remarks>
public sealed class RecreateTransportRule(IExchangeOnline exchange) : IReleaseAction
{

    /// <summary>What a rule's export can be re-created with (New-TransportRule's parameters); anything else is named for a person.</summary>
    private static readonly string[] Restorable =
    [
        "Mode", "FromScope", "SentToScope", "BlindCopyTo", "CopyTo", "RedirectMessageTo", "ApplyHtmlDisclaimerText", "ApplyHtmlDisclaimerLocation",
        "FromAddressContainsWords", "SubjectOrBodyContainsWords", "AttachmentExtensionMatchesWords", "RejectMessageReasonText", "RejectMessageEnhancedStatusCode", "DeleteMessage",
    ];

    /// <summary>Read-only properties of the export: not settings.</summary>
    private static readonly string[] ReadOnly = ["Identity", "Name", "Guid", "State", "Priority", "WhenChanged", "DistinguishedName", "ImmutableId", "RuleVersion"];

    public ActionId Id { get; } = ActionId.Parse("5.b");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Where(c => c.Kind == "remove-transport-rule").Select(c => c.ResourceId).Distinct()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var exported = MailRelease.Find(original.Before, null, "Guid", step.Item!);
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (exported is not { } rule || Mail.Str(rule, "Name") is not { } name)
        {
            return Plans.NothingToDo(step.Step, $"The containment exported no definition of rule {step.Item}: nothing to re-create.", evidence);
        }

        evidence.Add(new("Exported definition", rule.GetRawText()));
        var now = await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken);
        if (now.Any(r => string.Equals(Mail.Str(r, "Name"), name, StringComparison.OrdinalIgnoreCase)))
        {
            return Plans.NothingToDo(step.Step, $"A transport rule named \"{name}\" exists again since the containment: left as it is.", evidence, null,
                ["Changed since the containment: a rule of that name exists. Nothing is overwritten."]);
        }

        var settings = rule.EnumerateObject().Where(p => Restorable.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null).ToList();
        var skipped = rule.EnumerateObject().Where(p => !Restorable.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && !ReadOnly.Contains(p.Name, StringComparer.OrdinalIgnoreCase)
            && p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name).ToList();
        var changes = new List<PlannedChange>
        {
            new RecreateTransportRuleChange(name, $"Re-create the transport rule \"{name}\" (disabled) with {string.Join("; ", settings.Select(s => $"{s.Name} {Text(s.Value)}"))}", rule.Clone()),
        };
        if (Mail.Str(rule, "State") == "Enabled")
        {
            changes.Add(new EnableTransportRuleChange(name, $"Enable the re-created rule \"{name}\", as it was before the containment"));
        }

        return Plans.Change(step.Step, $"Re-create the transport rule \"{name}\" from its export.", evidence, changes,
            skipped.Count == 0 ? null : [$"Not restored by the release (set them by hand from the export): {string.Join(", ", skipped)}."]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                var existing = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken))
                    .FirstOrDefault(r => string.Equals(Mail.Str(r, "Name"), change.ResourceId, StringComparison.OrdinalIgnoreCase));
                if (change is EnableTransportRuleChange)
                {
                    return existing.ValueKind == JsonValueKind.Object && Mail.Str(existing, "State") == "Enabled"
                        ? ChangeOutcome.AlreadyDone
                        : Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Enable-TransportRule").With("Identity", change.ResourceId).With("Confirm", false), cancellationToken));
                }

                if (existing.ValueKind == JsonValueKind.Object)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                var command = ((RecreateTransportRuleChange)change).Definition.EnumerateObject()
                    .Where(p => Restorable.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                    .Aggregate(ExchangeCommand.For("New-TransportRule").With("Name", change.ResourceId).With("Enabled", false), With);
                await exchange.InvokeAsync(command, cancellationToken);
                return ChangeOutcome.Done;
            }));
        }

        return Results.From(step.Step, results, $"Transport rule \"{plan.Changes[0].ResourceId}\" re-created from its export.", null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var name = plan.Changes[0].ResourceId;
        var rule = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken))
            .FirstOrDefault(r => string.Equals(Mail.Str(r, "Name"), name, StringComparison.OrdinalIgnoreCase));
        var wantEnabled = plan.Changes.OfType<EnableTransportRuleChange>().Any();
        return rule.ValueKind == JsonValueKind.Object && (Mail.Str(rule, "State") == "Enabled") == wantEnabled
            ? Results.Verified(step.Step, $"\"{name}\" exists again ({Mail.Str(rule, "State")}).")
            : Results.Mismatch(step.Step, $"\"{name}\" is missing or not in the planned state.");
    }

    private static ExchangeCommand With(ExchangeCommand command, JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => command.With(property.Name, property.Value.GetBoolean()),
        JsonValueKind.Number => command.With(property.Name, property.Value.GetInt32()),
        JsonValueKind.Array => command.With(property.Name, property.Value.EnumerateArray().Select(e => e.ToString())),
        _ => command.With(property.Name, property.Value.ToString()),
    };

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.EnumerateArray()) : value.ToString();
}

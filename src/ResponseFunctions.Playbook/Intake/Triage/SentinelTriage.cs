using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.Triage;

/// <summary>
/// Maps a Sentinel incident to the sheet's cases (with the triage table) and its entities to targets. Never guesses:
/// an entity that does not name one directory object or one public address is set aside with the reason, and a case
/// without a target it can act on is dropped, saying so.
/// </summary>
public static class SentinelTriage
{
    public static TriageResult Triage(SentinelIncident incident, TriageTable table)
    {
        var reasons = new List<string>();
        var cases = new SortedSet<CaseId>();
        foreach (var rule in table.Rules)
        {
            if (Match(rule, incident) is { } why)
            {
                var ruleCases = rule.Cases.Where(c => c is >= 1 and <= 5).Distinct().Order().Select(c => (CaseId)c).ToList();
                cases.UnionWith(ruleCases);
                reasons.Add($"Rule '{rule.Name}' matched {why} → case {string.Join(" and ", ruleCases.Select(c => (int)c))}.");
            }
        }

        if (cases.Count == 0)
        {
            reasons.Add($"No triage rule matched (title '{incident.Title}', products {Join(incident.Alerts.Select(a => a.ProductName))}, "
                + $"alert types {Join(incident.Alerts.Select(a => a.AlertType))}): nothing to contain automatically.");
        }

        var candidates = FindCandidates(incident.Entities);
        var ignored = new List<IgnoredEntity>(candidates.Ignored);
        var users = Keep(candidates.Users, cases.Contains(CaseId.CompromisedAccount) || cases.Contains(CaseId.MailDataLeak), "account", "1 or 5", ignored);
        var ips = Keep(candidates.Ips, cases.Contains(CaseId.CompromisedAccount), "IP address", "1 (Conditional Access block)", ignored);
        var apps = Keep(candidates.Applications, cases.Contains(CaseId.CompromisedAppIdentity), "application", "2", ignored);
        if (cases.Contains(CaseId.CompromisedAppIdentity))
        {
            apps = [.. apps, .. candidates.ServicePrincipalCandidates.Select(c => c.Value).Where(v => !apps.Contains(v, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        var resources = Keep(candidates.Resources, cases.Contains(CaseId.CompromisedAzureResource), "Azure resource", "3", ignored);
        var mailboxes = Keep(candidates.Mailboxes, cases.Contains(CaseId.MailDataLeak), "mailbox", "5", ignored);

        DropWithoutTarget(cases, CaseId.CompromisedAccount, users.Count > 0, "no account entity names an Entra user", reasons);
        DropWithoutTarget(cases, CaseId.CompromisedAppIdentity, apps.Count > 0, "no entity names an Entra application (appId, an exact application name, or a service principal account)", reasons);
        DropWithoutTarget(cases, CaseId.CompromisedAzureResource, resources.Count > 0, "no entity names an Azure resource id", reasons);
        DropWithoutTarget(cases, CaseId.MailDataLeak, users.Count > 0 || mailboxes.Count > 0, "no entity names a mailbox or an account", reasons);

        var source = new IncidentSource(IncidentSource.Sentinel, incident.Reference,
            incident.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture), incident.Title)
        {
            SentinelIncidentArmId = incident.ArmId,
            Url = incident.Url,
        };
        var targets = new ContainmentTargets(users, ips, []) { Applications = apps, Resources = resources, Mailboxes = mailboxes };
        return new TriageResult(source, [.. cases], targets, reasons, ignored)
        {
            Evidence = candidates.Evidence,
            Severity = SentinelPayloadParser.Severity(incident.Severity),
        };
    }

    /// <summary>The incident id of its containment: one per incident, whatever the number of deliveries.</summary>
    public static string IncidentIdFor(SentinelIncident incident) =>
        incident.ArmId is { } armId ? IntakeIds.ForSentinelIncident(incident.Number, armId) : IntakeIds.ForSentinelAlert(incident.Reference);

    private static string? Match(TriageRule rule, SentinelIncident incident)
    {
        foreach (var alert in incident.Alerts.DefaultIfEmpty(new SentinelAlert(incident.Title, null, null, incident.Tactics)))
        {
            if (rule.Products.Count > 0 && !rule.Products.Contains(alert.ProductName ?? "", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var product = rule.Products.Count > 0 ? $"product '{alert.ProductName}'" : null;
            if (rule.AlertTypes.Count == 0 && rule.Tactics.Count == 0 && rule.Keywords.Count == 0)
            {
                return product ?? "every alert";
            }

            var names = new[] { alert.AlertType, alert.DisplayName, incident.Title }.OfType<string>().ToList();
            var detail = rule.AlertTypes.FirstOrDefault(t => names.Contains(t, StringComparer.OrdinalIgnoreCase)) is { } type ? $"alert type or rule '{type}'"
                : rule.Keywords.FirstOrDefault(k => names.Any(n => n.Contains(k, StringComparison.OrdinalIgnoreCase))) is { } keyword ? $"keyword '{keyword}' in '{names.First(n => n.Contains(keyword, StringComparison.OrdinalIgnoreCase))}'"
                : rule.Tactics.FirstOrDefault(t => alert.Tactics.Concat(incident.Tactics).Contains(t, StringComparer.OrdinalIgnoreCase)) is { } tactic ? $"tactic '{tactic}'"
                : null;
            if (detail is not null)
            {
                return product is null ? detail : $"{product}, {detail}";
            }
        }

        return null;
    }

    private static List<string> Keep(List<(string Value, string Entity)> found, bool used, string what, string cases, List<IgnoredEntity> ignored)
    {
        if (used)
        {
            return [.. found.Select(f => f.Value).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        ignored.AddRange(found.Select(f => new IgnoredEntity(f.Entity, $"{what}: no selected case acts on it (case {cases} was not selected)")));
        return [];
    }

    private static void DropWithoutTarget(SortedSet<CaseId> cases, CaseId caseId, bool hasTarget, string why, List<string> reasons)
    {
        if (cases.Contains(caseId) && !hasTarget)
        {
            cases.Remove(caseId);
            reasons.Add($"Case {(int)caseId} dropped: {why}; contain by hand if needed.");
        }
    }

    private static Candidates FindCandidates(IReadOnlyList<SentinelEntity> entities)
    {
        var result = new Candidates();
        foreach (var entity in entities)
        {
            var name = entity.Describe();
            switch (entity.Kind)
            {
                case "account":
                    Account(entity, name, result);
                    break;
                case "ip":
                    if (TargetSyntax.PublicIp(entity.Get("address"), out var why) is { } ip)
                    {
                        result.Ips.Add((ip, name));
                    }
                    else
                    {
                        result.Ignored.Add(new(name, why!));
                    }

                    break;
                case "host":
                    if (TargetSyntax.ResourceId(entity.Get("azureID")) is { } vm)
                    {
                        result.Resources.Add((vm, name));
                    }
                    else
                    {
                        result.Ignored.Add(new(name, "host without an Azure resource id (azureID): a workstation or server is the sheet's 'system compromise' procedure"));
                    }

                    break;
                case "azureresource":
                    if (TargetSyntax.ResourceId(entity.Get("resourceId")) is { } resource)
                    {
                        result.Resources.Add((resource, name));
                    }
                    else
                    {
                        result.Ignored.Add(new(name, "resourceId is missing or not an Azure resource id"));
                    }

                    break;
                case "cloudapplication" or "oauthapplication":
                    // Defender for Cloud Apps and Defender XDR name an OAuth app by its Cloud Apps catalogue id (a number),
                    // not its Entra appId: then the name is kept, resolved at prepare time only if exactly one service
                    // principal carries it. Source: Microsoft Sentinel entity types reference (learn.microsoft.com/azure/sentinel/entities-reference:
                    // CloudApplication identifiers AppId, Name, InstanceName) and the SecurityInsights CloudApplicationEntity (appId an integer, appName).
                    var appId = entity.Get("oAuthAppId") ?? entity.Get("appId");
                    var appName = entity.Get("name") ?? entity.Get("appName") ?? entity.Get("displayName") ?? entity.Get("friendlyName");
                    if (TargetSyntax.Guid(appId) is { } app)
                    {
                        result.Applications.Add((app, name));
                    }
                    else if (TargetSyntax.ApplicationName(appName) is { } byName)
                    {
                        result.Applications.Add((byName, name));
                        result.Evidence.Add(new(name, $"Cloud Apps catalogue id {appId ?? "none"}: the Entra application is looked up by its exact name '{appName}'"));
                    }
                    else
                    {
                        result.Ignored.Add(new(name, $"appId '{appId}' is a Defender for Cloud Apps catalogue id, not an Entra application id, and the entity gives no name to find the app by"));
                    }

                    break;
                case "mailbox":
                    if (TargetSyntax.Upn(entity.Get("mailboxPrimaryAddress")) is { } mailbox)
                    {
                        result.Mailboxes.Add((mailbox, name));
                    }
                    else
                    {
                        result.Ignored.Add(new(name, "no valid primary address (mailboxPrimaryAddress)"));
                    }

                    break;
                default:
                    // MailMessage, URL, File, FileHash, Process...: what the attacker used or touched, for the investigation.
                    result.Evidence.Add(new(name, Detail(entity) ?? entity.Kind));
                    break;
            }
        }

        return result;
    }

    private static void Account(SentinelEntity entity, string name, Candidates result)
    {
        if (TargetSyntax.Guid(entity.Get("aadUserId")) is { } objectId)
        {
            result.Users.Add((objectId, name));

            // An OAuth app alert often names the app as an account whose aadUserId is its service principal's object
            // id: kept as a case 2 candidate too; at prepare time an id that is no service principal is journaled unresolved.
            result.ServicePrincipalCandidates.Add((objectId, name));
            return;
        }

        var accountName = entity.Get("accountName") ?? entity.Get("name");
        var suffix = entity.Get("upnSuffix");
        var upn = accountName is null ? null
            : accountName.Contains('@', StringComparison.Ordinal) ? accountName
            : suffix is null ? null
            : $"{accountName}@{suffix}";
        if (TargetSyntax.Upn(upn) is { } valid)
        {
            result.Users.Add((valid, name));
        }
        else
        {
            result.Ignored.Add(new(name, accountName is not null && suffix is null
                ? $"ambiguous: account name '{accountName}' without a UPN suffix or aadUserId may match several users (or an on-premises account)"
                : "no aadUserId and no UPN: cannot name one Entra user"));
        }
    }

    private static string? Detail(SentinelEntity entity) =>
        entity.Get("url") ?? entity.Get("fileName") ?? entity.Get("subject") ?? entity.Get("networkMessageId");

    private static string Join(IEnumerable<string?> values) =>
        values.OfType<string>().Distinct().ToList() is { Count: > 0 } list ? string.Join(", ", list.Select(v => $"'{v}'")) : "none";

    private sealed class Candidates
    {
        public List<(string Value, string Entity)> Users { get; } = [];
        public List<(string Value, string Entity)> Ips { get; } = [];
        public List<(string Value, string Entity)> Applications { get; } = [];
        public List<(string Value, string Entity)> ServicePrincipalCandidates { get; } = [];
        public List<(string Value, string Entity)> Resources { get; } = [];
        public List<(string Value, string Entity)> Mailboxes { get; } = [];
        public List<IgnoredEntity> Ignored { get; } = [];
        public List<Actions.Evidence> Evidence { get; } = [];
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.a for an App Service or Function App (and every deployment slot): the site stopped, and access restrictions that deny
/// everything but the forensic ranges, for the site and for its SCM (Kudu) endpoint separately. The previous restrictions
/// and state are the before-state.
/// </summary>
/// <remarks>Web: GET sites, sites/slots, …/config/web; POST …/stop; PATCH …/config/web (ipSecurityRestrictions,
/// ipSecurityRestrictionsDefaultAction, scmIpSecurityRestrictions, scmIpSecurityRestrictionsDefaultAction,
/// scmIpSecurityRestrictionsUseMain). Source: azure-rest-api-specs WebApps.json (WebApps_Stop, WebApps_UpdateConfiguration, SiteConfig);
/// learn.microsoft.com/azure/app-service/app-service-ip-restrictions.</remarks>
public sealed class WebAppIsolation(ArmResources arm, IOptions<ContainmentPolicy> policy) : IIsolationHandler
{
    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.Site) || ResourceTypes.Is(resourceType, ResourceTypes.Slot);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource site, CancellationToken cancellationToken)
    {
        var sites = await SitesAsync(site.Id, cancellationToken);
        var changes = new List<PlannedChange>();
        foreach (var s in sites)
        {
            if (!string.Equals(s.State, "Stopped", StringComparison.OrdinalIgnoreCase))
            {
                changes.Add(new StopSite(s.Id, $"Stop {s.Name}"));
            }

            if (!IsRestricted(s.Config))
            {
                changes.Add(new RestrictSiteAccess(s.Id, $"Deny all access to {s.Name} and its SCM endpoint, except the forensic ranges"));
            }
        }

        var evidence = sites.Select(s => new Evidence(s.Name, $"state {s.State}, kind {site.Kind}, access default {s.Config?["ipSecurityRestrictionsDefaultAction"] ?? "Allow"}, "
            + $"SCM default {s.Config?["scmIpSecurityRestrictionsDefaultAction"] ?? "Allow"}, {(s.Config?["ipSecurityRestrictions"] as JsonArray)?.Count ?? 0} rule(s)")).ToList();
        var before = Snapshot.Of(sites.Select(s => new { s.Id, s.State, restrictions = s.Config }));
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{site.Name} and its slots are stopped and closed.", evidence, before)
            : Plans.Change(step, $"Stop and close {site.Name} ({sites.Count - 1} slot(s)).", evidence, changes,
                ["A stopped site serves nothing: the application is down until restarted by hand."], before);
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        var site = (await SitesAsync(change.ResourceId, cancellationToken, withSlots: false))[0];
        switch (change)
        {
            case StopSite when string.Equals(site.State, "Stopped", StringComparison.OrdinalIgnoreCase):
            case RestrictSiteAccess when IsRestricted(site.Config):
                return ChangeOutcome.AlreadyDone;
            case StopSite:
                await arm.PostAsync(change.ResourceId + "/stop", null, cancellationToken);
                return ChangeOutcome.Done;
            case RestrictSiteAccess:
                var rules = new JsonArray([.. Allowed().Select(r => (JsonNode)r)]);
                await arm.PatchAsync(change.ResourceId + "/config/web", new JsonObject
                {
                    ["properties"] = new JsonObject
                    {
                        ["ipSecurityRestrictions"] = rules.DeepClone(), ["ipSecurityRestrictionsDefaultAction"] = "Deny",
                        ["scmIpSecurityRestrictions"] = rules.DeepClone(), ["scmIpSecurityRestrictionsDefaultAction"] = "Deny",
                        ["scmIpSecurityRestrictionsUseMain"] = false,
                    },
                }, cancellationToken);
                return ChangeOutcome.Done;
            default:
                throw new InvalidOperationException($"3.a does not make '{change.Kind}' changes on a site.");
        }
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var open = (await SitesAsync(step.Target.Id, cancellationToken))
            .Where(s => !string.Equals(s.State, "Stopped", StringComparison.OrdinalIgnoreCase) || !IsRestricted(s.Config))
            .Select(s => s.Name)
            .ToList();
        return open.Count == 0
            ? Results.Verified(step, "The site and its slots are stopped, and site and SCM access restrictions deny all but the forensic ranges.")
            : Results.Mismatch(step, $"Still running or open: {string.Join(", ", open)}.");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of((await SitesAsync(step.Target.Id, cancellationToken)).Select(s => new { s.Id, s.State, restrictions = s.Config }));

    private IEnumerable<JsonObject> Allowed() =>
        policy.Value.Resources.ForensicSourceRanges.Select((range, i) => new JsonObject
        {
            ["ipAddress"] = range, ["action"] = "Allow", ["priority"] = 100 + i, ["name"] = $"responsefunctions-forensics-{i + 1}", ["tag"] = "Default",
        });

    private bool IsRestricted(JsonNode? config)
    {
        var expected = Allowed().Select(r => r["ipAddress"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        bool Same(string key) => (config?[key] as JsonArray ?? []).Where(r => r?["action"]?.GetValue<string>() == "Allow")
            .Select(r => r!["ipAddress"]?.GetValue<string>() ?? "").Order(StringComparer.Ordinal).SequenceEqual(expected);
        return config?["ipSecurityRestrictionsDefaultAction"]?.GetValue<string>() == "Deny"
            && config["scmIpSecurityRestrictionsDefaultAction"]?.GetValue<string>() == "Deny"
            && config["scmIpSecurityRestrictionsUseMain"]?.GetValue<bool>() != true
            && Same("ipSecurityRestrictions") && Same("scmIpSecurityRestrictions");
    }

    /// <summary>The site and, unless it is itself a slot, its slots: state and the access part of config/web.</summary>
    private async Task<List<SiteState>> SitesAsync(string id, CancellationToken cancellationToken, bool withSlots = true)
    {
        var ids = new List<string> { id };
        if (withSlots && ResourceTypes.Is(ResourceTypes.Of(id), ResourceTypes.Site))
        {
            ids.AddRange((await arm.ReadAsync(id + "/slots", cancellationToken))?["value"]?.AsArray().Select(s => s!["id"]!.GetValue<string>()) ?? []);
        }

        var sites = new List<SiteState>();
        foreach (var siteId in ids)
        {
            var site = await arm.GetAsync(siteId, cancellationToken);
            var config = (await arm.ReadAsync(siteId + "/config/web", cancellationToken))?["properties"];
            sites.Add(new SiteState(siteId, site.Name, site.Properties["state"]?.GetValue<string>() ?? "Running", config is null ? null : new JsonObject
            {
                ["ipSecurityRestrictions"] = config["ipSecurityRestrictions"]?.DeepClone(),
                ["ipSecurityRestrictionsDefaultAction"] = config["ipSecurityRestrictionsDefaultAction"]?.DeepClone(),
                ["scmIpSecurityRestrictions"] = config["scmIpSecurityRestrictions"]?.DeepClone(),
                ["scmIpSecurityRestrictionsDefaultAction"] = config["scmIpSecurityRestrictionsDefaultAction"]?.DeepClone(),
                ["scmIpSecurityRestrictionsUseMain"] = config["scmIpSecurityRestrictionsUseMain"]?.DeepClone(),
            }));
        }

        return sites;
    }

    private sealed record SiteState(string Id, string Name, string State, JsonObject? Config);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>
/// 3.a's release for an App Service or Function App and its slots: each site's access restrictions (site and SCM) put
/// back to their journaled before-state, when they are still what the containment set; each site the containment
/// stopped started again, when it is still stopped. Restrictions someone changed since, or a site started or
/// stopped by someone, are shown and left as they are.
/// </summary>
/// <remarks>Web: GET sites, …/config/web; PATCH …/config/web (the five access properties, as journaled); POST …/start.
/// Source: azure-rest-api-specs WebApps.json (WebApps_UpdateConfiguration, WebApps_Start, SiteConfig).</remarks>
public sealed class WebAppRelease(ArmResources arm, IEnumerable<IIsolationHandler> handlers) : IIsolationRelease
{
    private static readonly string[] AccessProperties =
        ["ipSecurityRestrictions", "ipSecurityRestrictionsDefaultAction", "scmIpSecurityRestrictions", "scmIpSecurityRestrictionsDefaultAction", "scmIpSecurityRestrictionsUseMain"];

    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.Site) || ResourceTypes.Is(resourceType, ResourceTypes.Slot);

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var done = original.Done.ToList();
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var (id, before, after) in Sites(original))
        {
            var name = ResourceTypes.NameOf(id);
            if (await arm.FindAsync(id, cancellationToken) is not { } site)
            {
                warnings.Add($"{name} no longer exists: nothing to restore.");
                continue;
            }

            var state = site.Properties["state"]?.GetValue<string>() ?? "Running";
            var access = await AccessAsync(id, cancellationToken);
            evidence.Add(new Evidence(name, $"before the containment: {before?["state"]}, access default {before?["restrictions"]?["ipSecurityRestrictionsDefaultAction"] ?? "Allow"}; "
                + $"now: {state}, access default {access?["ipSecurityRestrictionsDefaultAction"] ?? "Allow"}"));
            if (Did(done, "restrict-access", id))
            {
                if (IsolationRelease.Same(access, before?["restrictions"]))
                {
                    evidence.Add(new Evidence($"{name} access", "already as before the containment"));
                }
                else if (IsolationRelease.Same(access, after?["restrictions"]))
                {
                    changes.Add(new RestoreSiteAccess(id, $"Put {name}'s access restrictions (site and SCM) back as they were before the containment"));
                }
                else
                {
                    warnings.Add($"{IsolationRelease.ChangedSince}{name}'s access restrictions are not the ones the containment set. Nothing is overwritten.");
                }
            }

            if (Did(done, "stop-site", id) && !IsStopped(before?["state"]?.GetValue<string>()))
            {
                if (IsStopped(state))
                {
                    changes.Add(new StartSite(id, $"Start {name} (it was running before the containment)"));
                }
                else
                {
                    evidence.Add(new Evidence($"{name} state", $"{state} already: left as it is"));
                }
            }
        }

        var current = await IsolationRelease.StateAsync(handlers, step, cancellationToken);
        return changes.Count == 0
            ? Plans.NothingToDo(step.Step, $"Nothing of {step.Target.Name}'s isolation to undo as the containment left it.", evidence, current, warnings)
            : Plans.Change(step.Step, $"Take {step.Target.Name} out of isolation: {changes.Count} change(s).", evidence, changes, warnings, current);
    }

    public Task<ChangeResult> ApplyAsync(ReleaseStep step, OriginalStep original, PlannedChange change, CancellationToken cancellationToken) =>
        IsolationRelease.RunAsync(change, async () =>
        {
            var (_, before, after) = Sites(original).Single(s => Same(s.Id, change.ResourceId));
            switch (change)
            {
                case RestoreSiteAccess:
                    var access = await AccessAsync(change.ResourceId, cancellationToken);
                    if (IsolationRelease.Same(access, before?["restrictions"]))
                    {
                        return (ChangeOutcome.AlreadyDone, null);
                    }

                    if (!IsolationRelease.Same(access, after?["restrictions"]))
                    {
                        return (ChangeOutcome.Refused, $"{ResourceTypes.NameOf(change.ResourceId)}'s access restrictions changed since the plan.");
                    }

                    var restored = new JsonObject();
                    foreach (var property in AccessProperties.Where(p => before?["restrictions"]?[p] is not null))
                    {
                        restored[property] = before!["restrictions"]![property]!.DeepClone();
                    }

                    await arm.PatchAsync(change.ResourceId + "/config/web", new JsonObject { ["properties"] = restored }, cancellationToken);
                    return (ChangeOutcome.Done, null);
                case StartSite:
                    var state = (await arm.GetAsync(change.ResourceId, cancellationToken)).Properties["state"]?.GetValue<string>();
                    if (!IsStopped(state))
                    {
                        return (ChangeOutcome.AlreadyDone, (string?)null);
                    }

                    await arm.PostAsync(change.ResourceId + "/start", null, cancellationToken);
                    return (ChangeOutcome.Done, null);
                default:
                    throw new InvalidOperationException($"3.a's release does not know change '{change.Kind}' for a site.");
            }
        });

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var change in plan.Changes)
        {
            var (_, before, _) = Sites(original).Single(s => Same(s.Id, change.ResourceId));
            var name = ResourceTypes.NameOf(change.ResourceId);
            if (change is RestoreSiteAccess && !IsolationRelease.Same(await AccessAsync(change.ResourceId, cancellationToken), before?["restrictions"]))
            {
                problems.Add($"{name}'s access restrictions are not as before the containment");
            }
            else if (change is StartSite && IsStopped((await arm.GetAsync(change.ResourceId, cancellationToken)).Properties["state"]?.GetValue<string>()))
            {
                problems.Add($"{name} is still stopped");
            }
        }

        return problems.Count == 0
            ? Results.Verified(step.Step, $"{step.Target.Name} is out of isolation: {string.Join("; ", plan.Changes.Select(c => c.Description))}.")
            : Results.Mismatch(step.Step, string.Join("; ", problems) + ".");
    }

    public Task<JsonElement> StateAsync(ReleaseStep step, CancellationToken cancellationToken) => IsolationRelease.StateAsync(handlers, step, cancellationToken);

    /// <summary>Each site and slot as journaled: 3.a's before and after are arrays of { id, state, restrictions }.</summary>
    private static IEnumerable<(string Id, JsonNode? Before, JsonNode? After)> Sites(OriginalStep original)
    {
        var before = IsolationRelease.Node(original.Before) as JsonArray ?? [];
        var after = IsolationRelease.Node(original.After) as JsonArray ?? [];
        foreach (var site in before)
        {
            var id = site?["id"]?.GetValue<string>();
            if (id is not null)
            {
                yield return (id, site, after.FirstOrDefault(a => Same(a?["id"]?.GetValue<string>(), id)));
            }
        }
    }

    /// <summary>The access part of config/web, as 3.a journals it.</summary>
    private async Task<JsonObject?> AccessAsync(string siteId, CancellationToken cancellationToken)
    {
        var config = (await arm.ReadAsync(siteId + "/config/web", cancellationToken))?["properties"];
        return config is null ? null : new JsonObject(AccessProperties.Select(p => KeyValuePair.Create(p, config[p]?.DeepClone())));
    }

    private static bool Did(List<OriginalChange> done, string kind, string id) => done.Any(c => c.Kind == kind && Same(c.ResourceId, id));

    private static bool IsStopped(string? state) => string.Equals(state, "Stopped", StringComparison.OrdinalIgnoreCase);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Resolves what a request names to directory objects, by object id. Anything that resolves to nothing (or to
/// something ambiguous) is set aside with the reason, journaled, and never acted on.
/// </summary>
public sealed class TargetResolver(GraphServiceClient graph, DirectoryReader directory)
{
    /// <summary>Users looked up at once: a mass compromise names thousands, and one lookup after another would take minutes before any change.</summary>
    private const int ParallelLookups = 16;

    public async Task<(IncidentScope Scope, IReadOnlyList<UnresolvedTarget> Unresolved)> ResolveAsync(
        ContainmentRequest request, DateTimeOffset openedAt, CancellationToken cancellationToken)
    {
        var unresolved = new List<UnresolvedTarget>();
        var users = await ResolveUsersAsync(request.Targets.Users, TargetKind.User, unresolved, cancellationToken);
        var mailboxes = request.Cases.Contains(CaseId.MailDataLeak)
            ? [.. users.Select(u => u with { Kind = TargetKind.Mailbox }), .. await ResolveUsersAsync(request.Targets.Mailboxes, TargetKind.Mailbox, unresolved, cancellationToken)]
            : new List<ActionTarget>();
        var applications = await ResolveApplicationsAsync(request.Targets.Applications, unresolved, cancellationToken);
        var scope = new IncidentScope(request.IncidentId, request.Reason, openedAt, users, request.Targets.Ips, request.Targets.Countries)
        {
            Applications = applications,
            Mailboxes = [.. mailboxes.DistinctBy(m => m.Id)],
            Domains = request.Targets.Domains,
            Resources = [.. request.Targets.Resources.Select(id => new ActionTarget(TargetKind.AzureResource, id, id[(id.LastIndexOf('/') + 1)..]))],
        };
        return (scope, unresolved);
    }

    private async Task<List<ActionTarget>> ResolveUsersAsync(IEnumerable<string> values, TargetKind kind, List<UnresolvedTarget> unresolved, CancellationToken cancellationToken)
    {
        // Object ids and UPNs are looked up in lists, 15 to a request (GET /users?$filter=id in (...)); what a list does
        // not answer (an address that is no UPN, a user gone) is looked up alone, side by side, as it always was. Then
        // read in the request's order: the scope and the set-aside list come out as if one by one.
        var named = values.ToList();
        var byId = await directory.FindUsersAsync(named.Where(v => Guid.TryParse(v, out _)), "id", cancellationToken);
        var byUpn = await directory.FindUsersAsync(named.Where(v => !Guid.TryParse(v, out _) && v.Contains('@', StringComparison.Ordinal)), "userPrincipalName", cancellationToken);
        var found = new User?[named.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, named.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelLookups, CancellationToken = cancellationToken },
            async (i, ct) => found[i] = byId.GetValueOrDefault(named[i]) ?? byUpn.GetValueOrDefault(named[i]) ?? await directory.FindUserAsync(named[i], ct));
        var resolved = new List<ActionTarget>();
        foreach (var (value, user) in named.Zip(found))
        {
            if (user?.Id is null)
            {
                unresolved.Add(new UnresolvedTarget(value, $"No {(kind == TargetKind.Mailbox ? "mailbox user" : "user")} with this object id, UPN or address in the tenant; nothing is done for it."));
            }
            else if (resolved.All(u => u.Id != user.Id))
            {
                resolved.Add(new ActionTarget(kind, user.Id, user.UserPrincipalName ?? user.Id));
            }
        }

        return resolved;
    }

    /// <summary>
    /// An application is named by its appId, its service principal's object id (an OAuth app alert's account entity),
    /// or "name:&lt;display name&gt;" (its Cloud Apps entity): a name resolves only when exactly one service principal carries it.
    /// </summary>
    private async Task<List<ActionTarget>> ResolveApplicationsAsync(IEnumerable<string> values, List<UnresolvedTarget> unresolved, CancellationToken cancellationToken)
    {
        var resolved = new List<ActionTarget>();
        foreach (var value in values)
        {
            if (value.StartsWith(Requests.ContainmentRequestParser.ApplicationNamePrefix, StringComparison.Ordinal))
            {
                var name = value[Requests.ContainmentRequestParser.ApplicationNamePrefix.Length..];
                var byName = await graph.ServicePrincipals.GetAsync(r =>
                {
                    r.QueryParameters.Filter = ODataFilter.Eq("displayName", name);
                    r.QueryParameters.Select = ["id", "appId", "displayName"];
                }, cancellationToken);
                var named = byName?.Value ?? [];
                if (named.Count == 1 && named[0].Id is { } namedId)
                {
                    if (resolved.All(a => a.Id != namedId))
                    {
                        resolved.Add(new ActionTarget(TargetKind.Application, namedId, $"{named[0].DisplayName} ({named[0].AppId})"));
                    }
                }
                else
                {
                    unresolved.Add(new UnresolvedTarget(value, named.Count == 0
                        ? $"No service principal is named exactly '{name}'; nothing is done for it."
                        : $"Ambiguous: {named.Count} service principals are named '{name}' ({string.Join(", ", named.Select(n => n.AppId))}); nothing is done for it."));
                }

                continue;
            }

            var byAppId = await graph.ServicePrincipals.GetAsync(r =>
            {
                r.QueryParameters.Filter = ODataFilter.Eq("appId", value);
                r.QueryParameters.Select = ["id", "appId", "displayName"];
            }, cancellationToken);
            var matches = byAppId?.Value ?? [];
            var principal = matches.Count switch
            {
                1 => matches[0],
                0 => await FindServicePrincipalAsync(value, cancellationToken),
                _ => null,
            };
            if (matches.Count > 1)
            {
                unresolved.Add(new UnresolvedTarget(value, "Several service principals carry this appId: ambiguous, nothing is done for it."));
            }
            else if (principal?.Id is null)
            {
                unresolved.Add(new UnresolvedTarget(value, "No service principal with this appId or object id in the tenant; nothing is done for it."));
            }
            else if (resolved.All(a => a.Id != principal.Id))
            {
                resolved.Add(new ActionTarget(TargetKind.Application, principal.Id, $"{principal.DisplayName} ({principal.AppId})"));
            }
        }

        return resolved;
    }

    private async Task<ServicePrincipal?> FindServicePrincipalAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await graph.ServicePrincipals[id].GetAsync(r => r.QueryParameters.Select = ["id", "appId", "displayName"], cancellationToken);
        }
        catch (ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return null;
        }
    }
}

using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>The directory reads several actions and the tenant guard share.</summary>
public sealed class DirectoryReader(GraphServiceClient graph)
{
    public const string GlobalAdministratorRoleId = "62e90394-69f5-4237-9190-012177145e10";

    internal static readonly string[] UserProperties =
    [
        "id", "displayName", "userPrincipalName", "accountEnabled", "onPremisesSyncEnabled", "userType",
        "signInSessionsValidFromDateTime", "lastPasswordChangeDateTime", "mail",
    ];

    /// <summary>The user by object id or UPN, or null when the directory has no such user.</summary>
    /// <param name="fresh">Read now, not from <see cref="GraphReadCache"/>: for what a safety rule decides on.</param>
    public async Task<User?> FindUserAsync(string idOrUpn, CancellationToken cancellationToken, bool fresh = false)
    {
        try
        {
            return await graph.Users[idOrUpn].GetAsync(r =>
            {
                r.QueryParameters.Select = UserProperties;
                Fresh(r, fresh);
            }, cancellationToken);
        }
        catch (ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return null;
        }
    }

    /// <summary>
    /// Values per "in" clause. Graph's directory objects accept a limited number of values in one "in" (15 is the figure
    /// reported for users and groups, in Microsoft Q&amp;A answers); more ids are split over several requests.
    /// </summary>
    public const int MaxInValues = 15;

    /// <summary>
    /// The users among <paramref name="values"/> (object ids when <paramref name="property"/> is "id", UPNs for
    /// "userPrincipalName"), by that value, case-insensitive: one list request per <see cref="MaxInValues"/> values, with
    /// the same $select as <see cref="FindUserAsync"/> (so <see cref="GraphReadCache"/> answers each user's own read from
    /// it). A value missing from the answer is no user with that value. Graph v1.0 user resource: id and
    /// userPrincipalName support $filter "in".
    /// </summary>
    public async Task<IReadOnlyDictionary<string, User>> FindUsersAsync(IEnumerable<string> values, string property, CancellationToken cancellationToken)
    {
        var chunks = values.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(MaxInValues).ToList();
        var pages = await Task.WhenAll(chunks.Select(async chunk =>
        {
            var page = await graph.Users.GetAsync(r =>
            {
                r.QueryParameters.Filter = ODataFilter.In(property, chunk);
                r.QueryParameters.Select = UserProperties;
            }, cancellationToken);
            return await AllPagesAsync<User, UserCollectionResponse>(page, cancellationToken);
        }));
        var found = new Dictionary<string, User>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in pages.SelectMany(p => p))
        {
            if ((property == "id" ? user.Id : user.UserPrincipalName) is { } key)
            {
                found.TryAdd(key, user);
            }
        }

        return found;
    }

    public async Task<User> GetUserAsync(string id, CancellationToken cancellationToken) =>
        await FindUserAsync(id, cancellationToken) ?? throw new InvalidOperationException($"User {id} no longer exists.");

    public async Task<IReadOnlyList<UnifiedRoleAssignment>> RoleAssignmentsAsync(string filter, CancellationToken cancellationToken, bool fresh = false)
    {
        var page = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r =>
        {
            r.QueryParameters.Filter = filter;
            r.QueryParameters.Expand = ["roleDefinition"];
            Fresh(r, fresh);
        }, cancellationToken);
        return await AllPagesAsync<UnifiedRoleAssignment, UnifiedRoleAssignmentCollectionResponse>(page, cancellationToken);
    }

    /// <summary>PIM eligibilities matching <paramref name="filter"/>, each with its role definition.</summary>
    /// <param name="filter">Null for every eligibility of the tenant.</param>
    public async Task<IReadOnlyList<UnifiedRoleEligibilitySchedule>> RoleEligibilitySchedulesAsync(string? filter, CancellationToken cancellationToken)
    {
        var page = await graph.RoleManagement.Directory.RoleEligibilitySchedules.GetAsync(r =>
        {
            r.QueryParameters.Filter = filter;
            r.QueryParameters.Expand = ["roleDefinition"];
        }, cancellationToken);
        return await AllPagesAsync<UnifiedRoleEligibilitySchedule, UnifiedRoleEligibilityScheduleCollectionResponse>(page, cancellationToken);
    }

    /// <summary>
    /// Every user holding Global Administrator, directly or through a role-assignable group, with whether the account is
    /// enabled; always read now (never from <see cref="GraphReadCache"/>): the guard's count depends on it.
    /// </summary>
    public async Task<IReadOnlyList<User>> GlobalAdministratorsAsync(CancellationToken cancellationToken)
    {
        var assignments = await RoleAssignmentsAsync(ODataFilter.Eq("roleDefinitionId", GlobalAdministratorRoleId), cancellationToken, fresh: true);
        var admins = new Dictionary<string, User>(StringComparer.OrdinalIgnoreCase);
        foreach (var principalId in assignments.Select(a => a.PrincipalId).OfType<string>().Distinct())
        {
            if (await FindUserAsync(principalId, cancellationToken, fresh: true) is { Id: not null } user)
            {
                admins[user.Id] = user;
                continue;
            }

            foreach (var member in await GroupUserMembersAsync(principalId, cancellationToken))
            {
                admins.TryAdd(member.Id!, member);
            }
        }

        return [.. admins.Values];
    }

    private async Task<IReadOnlyList<User>> GroupUserMembersAsync(string groupId, CancellationToken cancellationToken)
    {
        IReadOnlyList<DirectoryObject> members;
        try
        {
            var page = await graph.Groups[groupId].Members.GetAsync(cancellationToken: cancellationToken);
            members = await AllPagesAsync<DirectoryObject, DirectoryObjectCollectionResponse>(page, cancellationToken);
        }
        catch (ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return []; // a service principal holds the role: not an administrator who can sign in
        }

        var users = new List<User>();
        foreach (var memberId in members.Select(m => m.Id).OfType<string>())
        {
            if (await FindUserAsync(memberId, cancellationToken, fresh: true) is { } user)
            {
                users.Add(user);
            }
        }

        return users;
    }

    private static void Fresh<T>(Microsoft.Kiota.Abstractions.RequestConfiguration<T> request, bool fresh)
        where T : class, new()
    {
        if (fresh)
        {
            request.Options.Add(new FreshRead());
        }
    }

    public async Task<IReadOnlyList<TEntity>> AllPagesAsync<TEntity, TPage>(TPage? firstPage, CancellationToken cancellationToken)
        where TPage : BaseCollectionPaginationCountResponse, new()
    {
        var items = new List<TEntity>();
        if (firstPage is null)
        {
            return items;
        }

        var iterator = PageIterator<TEntity, TPage>.CreatePageIterator(graph, firstPage, item =>
        {
            items.Add(item);
            return true;
        });
        await iterator.IterateAsync(cancellationToken);
        return items;
    }
}

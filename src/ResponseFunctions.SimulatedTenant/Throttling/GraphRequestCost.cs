namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// What one Graph request costs against the identity and access quotas: resource units and writes.
/// Source: Microsoft Graph service-specific throttling limits, "Identity and access service limits", base request
/// costs table and "Other factors that affect a request cost" (learn.microsoft.com/graph/throttling-limits).
/// </summary>
public sealed record GraphRequestCost(int ResourceUnits, int Writes)
{
    private static readonly HashSet<string> IdentityRoots = new(StringComparer.OrdinalIgnoreCase)
    {
        "users", "me", "groups", "directoryRoles", "directoryRoleTemplates", "directoryObjects", "roleManagement", "applications",
        "servicePrincipals", "oauth2PermissionGrants", "domains", "organization", "subscribedSkus", "contracts", "policies",
        "directory", "devices", "getObjectsById", "isMemberOf", "administrativeUnits", "groupLifecyclePolicies",
    };

    /// <summary>Under a user or group these belong to other services (Outlook, OneDrive, Teams...), with their own limits.</summary>
    private static readonly HashSet<string> OtherServiceChildren = new(StringComparer.OrdinalIgnoreCase)
    {
        "messages", "mailFolders", "mailboxSettings", "events", "calendar", "calendars", "contacts", "contactFolders", "drive",
        "drives", "onenote", "insights", "teamwork", "chats", "joinedTeams", "photo", "photos", "inferenceClassification",
        "outlook", "todo", "planner", "presence", "onlineMeetings", "conversations", "threads", "sites", "team",
    };

    /// <summary>POST actions that only read (write cost 0) and their resource units, from the documented table.</summary>
    private static readonly Dictionary<string, int> ReadingPosts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["getByIds"] = 3, ["getObjectsById"] = 3, ["isMemberOf"] = 4, ["checkMemberGroups"] = 4, ["checkMemberObjects"] = 4,
        ["getMemberGroups"] = 2, ["getMemberObjects"] = 2,
    };

    /// <summary>GET paths with a base cost above 1; "me/x" costs apply to "users/{id}/x" too (the doc's note).</summary>
    private static readonly Dictionary<string, int> CostlyReads = new(StringComparer.OrdinalIgnoreCase)
    {
        ["applications"] = 2, ["applications/{id}/extensionProperties"] = 2, ["contracts"] = 3, ["domains/{id}/domainNameReferences"] = 4,
        ["groups/{id}/members"] = 3, ["groups/{id}/transitiveMembers"] = 5, ["users/{id}/licenseDetails"] = 2, ["users/{id}/memberOf"] = 2,
        ["users/{id}/ownedObjects"] = 2, ["users/{id}/transitiveMemberOf"] = 2, ["oauth2PermissionGrants"] = 2, ["oauth2PermissionGrants/{id}"] = 2,
        ["servicePrincipals/{id}/appRoleAssignments"] = 2, ["subscribedSkus"] = 3, ["users"] = 2,
    };

    /// <summary>The cost of a request on the identity and access service, or null when the path belongs to another service.</summary>
    /// <param name="segments">The path after "/v1.0/", split on '/', unescaped.</param>
    /// <param name="query">The raw query string (with or without '?').</param>
    public static GraphRequestCost? For(string method, IReadOnlyList<string> segments, string? query)
    {
        if (segments.Count == 0 || !IdentityRoots.Contains(segments[0])
            || segments.Skip(1).Any(OtherServiceChildren.Contains))
        {
            return null;
        }

        var last = segments[^1];
        var lastAction = last.Contains('.', StringComparison.Ordinal) ? last[(last.LastIndexOf('.') + 1)..] : last;
        int units;
        int writes;
        if (HttpMethods.IsGet(method))
        {
            units = CostlyReads.GetValueOrDefault(Shape(segments), 1);
            writes = 0;
        }
        else if (HttpMethods.IsPost(method) && ReadingPosts.TryGetValue(lastAction, out var readingCost))
        {
            units = readingCost;
            writes = 0;
        }
        else
        {
            units = 1;
            writes = 1;
        }

        units += QueryAdjustment(query);
        return new GraphRequestCost(Math.Max(1, units), writes);
    }

    /// <summary>"users/abc/memberOf" → "users/{id}/memberOf"; "me/x" → "users/{id}/x".</summary>
    private static string Shape(IReadOnlyList<string> segments)
    {
        var parts = segments.ToList();
        if (string.Equals(parts[0], "me", StringComparison.OrdinalIgnoreCase))
        {
            parts[0] = "users";
            parts.Insert(1, "{id}");
        }
        else if (parts.Count > 1)
        {
            parts[1] = "{id}";
        }

        return string.Join('/', parts);
    }

    /// <summary>$select −1, $expand +1, $top below 20 −1 (the doc's "other factors").</summary>
    private static int QueryAdjustment(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return 0;
        }

        var adjustment = 0;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            adjustment += name.ToLowerInvariant() switch
            {
                "$select" => -1,
                "$expand" => 1,
                "$top" when int.TryParse(value, out var top) && top < 20 => -1,
                _ => 0,
            };
        }

        return adjustment;
    }

    private static class HttpMethods
    {
        public static bool IsGet(string method) => string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);

        public static bool IsPost(string method) => string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase);
    }
}

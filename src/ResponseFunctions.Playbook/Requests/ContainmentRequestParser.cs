using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Requests;

/// <summary>
/// Turns an analyst's JSON body into a <see cref="ContainmentRequest"/>, or into the list of every problem found,
/// so that nothing starts on a request that is wrong anywhere. Unknown properties are refused: a misspelt
/// "target" must not silently run a containment with no target.
/// </summary>
public static partial class ContainmentRequestParser
{
    private static readonly HashSet<string> KnownProperties = ["cases", "targets", "mode", "reason", "incidentId", "severity"];
    private static readonly HashSet<string> KnownTargetProperties = ["users", "ips", "countries", "applications", "mailboxes", "domains", "resources"];
    /// <summary>
    /// Parses a request under intake's caps (<see cref="Policy.IntakeLimits"/>, the defaults when null): a list up to
    /// <see cref="Policy.IntakeLimits.MaxTargetsPerList"/> is an ordinary containment; above it and up to
    /// <see cref="Policy.IntakeLimits.MassCompromiseMaxTargetsPerList"/> (when the mass path is on) it is a mass
    /// compromise, where a person decides every step; above both it is refused.
    /// </summary>
    public static ParseResult Parse(string? json, string requestedBy, Policy.IntakeLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ParseResult.Invalid(new RequestProblem("$", "The request body is empty; expected a JSON object."));
        }

        JsonDocument document;
        try
        {
            // A property given twice is refused: "last one wins" would let "mode":"plan" then "mode":"contain" run a containment.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return ParseResult.Invalid(new RequestProblem("$", $"The request body is not valid JSON: {ex.Message}"));
        }

        using (document)
        {
            return Parse(document.RootElement, requestedBy, limits);
        }
    }

    public static ParseResult Parse(JsonElement root, string requestedBy, Policy.IntakeLimits? limits = null)
    {
        limits ??= new Policy.IntakeLimits();
        var problems = new List<RequestProblem>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseResult.Invalid(new RequestProblem("$", "Expected a JSON object."));
        }

        foreach (var property in root.EnumerateObject().Where(p => !KnownProperties.Contains(p.Name)))
        {
            problems.Add(new(property.Name, $"Unknown property '{property.Name}'. Known: {string.Join(", ", KnownProperties)}."));
        }

        var incidentId = ReadIncidentId(root, problems);
        var cases = ReadCases(root, problems);
        var mode = ReadMode(root, problems);
        var reason = ReadRequiredString(root, "reason", problems, maxLength: 1000);
        var targets = ReadTargets(root, problems, Math.Max(limits.MaxTargetsPerList, limits.MassCompromiseMaxTargetsPerList));
        var severity = ReadSeverity(root, problems);

        if (targets is not null)
        {
            RequireTargets(cases, targets, problems);
        }

        if (problems.Count > 0)
        {
            return ParseResult.Invalid([.. problems]);
        }

        return ParseResult.Valid(new ContainmentRequest(incidentId!, cases, targets!, mode!.Value, reason!, requestedBy)
        {
            Severity = severity,
            MassCompromise = limits.Judge(targets!) == Policy.IntakeVolume.MassCompromise,
        });
    }

    private static string? ReadIncidentId(JsonElement root, List<RequestProblem> problems)
    {
        var value = ReadRequiredString(root, "incidentId", problems, maxLength: 64);
        if (value is not null && !IncidentIdPattern().IsMatch(value))
        {
            problems.Add(new("incidentId", "Use 1 to 64 letters, digits, '.', '_' or '-' (it names the containment)."));
            return null;
        }

        return value;
    }

    private static List<CaseId> ReadCases(JsonElement root, List<RequestProblem> problems)
    {
        var cases = new List<CaseId>();
        if (!root.TryGetProperty("cases", out var element) || element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            problems.Add(new("cases", "Required: a non-empty array of case numbers \"1\" to \"5\"."));
            return cases;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var text = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Number => item.GetRawText(),
                _ => null,
            };
            if (text is { Length: 1 } && text[0] is >= '1' and <= '5')
            {
                var caseId = (CaseId)(text[0] - '0');
                if (!cases.Contains(caseId))
                {
                    cases.Add(caseId);
                }
            }
            else
            {
                problems.Add(new($"cases[{index}]", "A case is \"1\" to \"5\" (see the sheet's five cases)."));
            }

            index++;
        }

        cases.Sort();
        return cases;
    }

    private static ContainmentMode? ReadMode(JsonElement root, List<RequestProblem> problems)
    {
        var value = ReadRequiredString(root, "mode", problems, maxLength: 16);
        return value switch
        {
            null => null,
            "plan" => ContainmentMode.Plan,
            "contain" => ContainmentMode.Contain,
            _ => InvalidMode(problems),
        };
    }

    private static ContainmentTargets? ReadTargets(JsonElement root, List<RequestProblem> problems, int cap)
    {
        if (!root.TryGetProperty("targets", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("targets", "Required: an object with \"users\", \"ips\" and/or \"countries\" arrays."));
            return null;
        }

        foreach (var property in element.EnumerateObject().Where(p => !KnownTargetProperties.Contains(p.Name)))
        {
            problems.Add(new($"targets.{property.Name}", $"Unknown property. Known: {string.Join(", ", KnownTargetProperties)}."));
        }

        var users = ReadList(element, "users", problems, cap, NormalizeUser, "an object id (GUID) or a UPN such as user@contoso.com");
        var ips = ReadList(element, "ips", problems, cap, NormalizeIp, "a public IPv4/IPv6 address or CIDR range (/8 or narrower; never private, loopback, link-local, CGNAT, multicast, reserved or IPv4-mapped)");
        var countries = ReadList(element, "countries", problems, cap, NormalizeCountry, "an ISO 3166-1 alpha-2 country code such as \"RU\"");
        return new ContainmentTargets(users, ips, countries)
        {
            Applications = ReadList(element, "applications", problems, cap, v => NormalizeGuid(v) ?? ApplicationByName(v),
                "an application (client) id or service principal object id (GUID), or \"name:<exact display name>\""),
            Mailboxes = ReadList(element, "mailboxes", problems, cap, NormalizeAddress, "a mailbox address such as finance@contoso.com"),
            Domains = ReadList(element, "domains", problems, cap, NormalizeDomain, "a domain name such as attacker.example"),
            Resources = ReadList(element, "resources", problems, cap, NormalizeResourceId, "an Azure resource id (/subscriptions/.../providers/...)"),
        };
    }

    private static List<string> ReadList(JsonElement parent, string name, List<RequestProblem> problems, int cap, Func<string, string?> normalize, string expected)
    {
        var values = new List<string>();
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new($"targets.{name}", "Expected an array."));
            return values;
        }

        if (element.GetArrayLength() > cap)
        {
            problems.Add(new($"targets.{name}", $"At most {cap} entries per containment (Containment:IntakeLimits)."));
            return values;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var normalized = item.ValueKind == JsonValueKind.String ? normalize(item.GetString()!.Trim()) : null;
            if (normalized is null)
            {
                problems.Add(new($"targets.{name}[{index}]", $"Expected {expected}."));
            }
            else if (!values.Contains(normalized, StringComparer.OrdinalIgnoreCase))
            {
                values.Add(normalized);
            }

            index++;
        }

        return values;
    }

    /// <summary>Prefix of an application named only by its display name (OAuth app alerts carry a Cloud Apps catalogue id, not the appId).</summary>
    public const string ApplicationNamePrefix = "name:";

    /// <summary>"name:&lt;display name&gt;" kept as given when the name is 1–256 characters without control characters; else null.</summary>
    public static string? ApplicationByName(string value) =>
        value.StartsWith(ApplicationNamePrefix, StringComparison.Ordinal) && value[ApplicationNamePrefix.Length..].Trim() is { Length: > 0 and <= 256 } name && !name.Any(char.IsControl)
            ? ApplicationNamePrefix + name
            : null;

    /// <summary>The targets each case needs and does not have (empty when every case has what it needs).</summary>
    public static IReadOnlyList<RequestProblem> MissingTargets(IReadOnlyList<CaseId> cases, ContainmentTargets targets)
    {
        var problems = new List<RequestProblem>();
        RequireTargets([.. cases], targets, problems);
        return problems;
    }

    private static void RequireTargets(List<CaseId> cases, ContainmentTargets targets, List<RequestProblem> problems)
    {
        if (cases.Contains(CaseId.CompromisedAccount) && targets.Users.Count == 0)
        {
            problems.Add(new("targets.users", "Case 1 (compromised account) needs at least one user (object id or UPN)."));
        }

        if (cases.Contains(CaseId.CompromisedAppIdentity) && targets.Applications.Count == 0)
        {
            problems.Add(new("targets.applications", "Case 2 (compromised application) needs at least one application (appId or service principal id)."));
        }

        if (cases.Contains(CaseId.CompromisedAzureResource) && targets.Resources.Count == 0)
        {
            problems.Add(new("targets.resources", "Case 3 (compromised Azure resource) needs at least one resource id."));
        }

        if (cases.Contains(CaseId.MailDataLeak) && targets.Users.Count == 0 && targets.Mailboxes.Count == 0)
        {
            problems.Add(new("targets.mailboxes", "Case 5 (data leak via mail) needs at least one mailbox or user."));
        }
    }

    private static string? NormalizeGuid(string value) => Guid.TryParse(value, out var id) ? id.ToString("D") : null;

    private static string? NormalizeAddress(string value) => UpnPattern().IsMatch(value) ? value.ToLowerInvariant() : null;

    private static string? NormalizeDomain(string value) => DomainPattern().IsMatch(value) ? value.ToLowerInvariant() : null;

    private static string? NormalizeResourceId(string value) => ResourceIds.Normalize(value);

    private static string? NormalizeUser(string value)
    {
        if (Guid.TryParse(value, out var id))
        {
            return id.ToString("D");
        }

        return UpnPattern().IsMatch(value) ? value.ToLowerInvariant() : null;
    }

    /// <summary>Normalises an address to a CIDR range, so "185.220.101.7" and "185.220.101.7/32" are the same target.</summary>
    internal static string? NormalizeIp(string value) => Policy.BlockableRanges.Normalize(value);

    private static string? NormalizeCountry(string value) => Countries.Normalize(value);

    private static string? ReadRequiredString(JsonElement root, string name, List<RequestProblem> problems, int maxLength)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            problems.Add(new(name, "Required: a non-empty string."));
            return null;
        }

        var value = element.GetString()!.Trim();
        if (value.Length > maxLength)
        {
            problems.Add(new(name, $"At most {maxLength} characters."));
            return null;
        }

        return value;
    }

    private static IncidentSeverity? ReadSeverity(JsonElement root, List<RequestProblem> problems)
    {
        if (!root.TryGetProperty("severity", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String && Enum.TryParse<IncidentSeverity>(element.GetString(), ignoreCase: true, out var severity)
            && Enum.IsDefined(severity) && !int.TryParse(element.GetString(), out _))
        {
            return severity;
        }

        problems.Add(new("severity", "One of \"Informational\", \"Low\", \"Medium\", \"High\" (optional)."));
        return null;
    }

    private static ContainmentMode? InvalidMode(List<RequestProblem> problems)
    {
        problems.Add(new("mode", "Either \"plan\" (dry run) or \"contain\"."));
        return null;
    }

    [GeneratedRegex("^(?=.{3,253}\\z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}\\z")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex IncidentIdPattern();

    // A UPN as Entra accepts it: no spaces, quotes or OData-significant characters, so it can never break a query.
    [GeneratedRegex("^[A-Za-z0-9._%+#'-]{1,113}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}\\z")]
    internal static partial Regex UpnPattern();
}

/// <summary>Either a valid request or every problem that makes it invalid.</summary>
public sealed record ParseResult(ContainmentRequest? Request, IReadOnlyList<RequestProblem> Problems)
{
    public bool IsValid => Request is not null;

    public static ParseResult Valid(ContainmentRequest request) => new(request, []);

    public static ParseResult Invalid(params RequestProblem[] problems) => new(null, problems);
}

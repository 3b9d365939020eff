using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Requests;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>What a drill runs, read from the command line and the files it names, and validated before anything starts.</summary>
internal sealed record DrillSettings(
    string? Scenario,
    bool Live,
    string? TenantId,
    ContainmentRequest Request,
    ContainmentPolicy Policy,
    ApprovalMode Approve,
    string JournalPath,
    string? StateOut)
{
    /// <summary>--release: after the containment, release these steps on the same tenant (null: no release).</summary>
    public ReleaseSelection? Release { get; init; }

    public static readonly IReadOnlySet<string> Options = new HashSet<string>
    {
        "--scenario", "--approve", "--journal", "--state-out", "--request", "--policy", "--tenant", "--tenant-id", "--incident", "--approval-timeout", "--release",
    };

    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--plan" };

    internal static readonly JsonSerializerOptions PolicyJson = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    public static DrillSettings From(Arguments arguments)
    {
        var live = arguments.LiveTenant();
        var approve = arguments.Value("--approve") switch
        {
            null or "ask" => ApprovalMode.Ask,
            "all" when !live => ApprovalMode.All,
            "all" => throw new UsageException("--approve all is for drills on the simulated tenant; on a live tenant every step is approved by a person (--approve ask)."),
            "none" => ApprovalMode.None,
            var other => throw new UsageException($"--approve is all, none or ask, not '{other}'."),
        };

        JsonObject? drill = null;
        string? scenario = null;
        if (!live)
        {
            scenario = arguments.Value("--scenario") ?? throw new UsageException($"--scenario is required. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            if (!Tenant.ScenarioNames.Contains(scenario))
            {
                throw new UsageException($"No scenario '{scenario}'. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            }

            drill = LoadDrill(scenario);
        }
        else if (arguments.Has("--scenario") || arguments.Has("--state-out"))
        {
            throw new UsageException("--scenario and --state-out are for the simulated tenant, not with --tenant live.");
        }

        // --incident: the containment a Sentinel incident would start through intake (triage decides cases and targets).
        var intakeRequest = arguments.Value("--incident") is { } incidentPath ? TriageCommand.RequestFor(incidentPath, arguments.Has("--plan")) : null;
        ContainmentRequest? fromRequest = null;
        if (intakeRequest is null)
        {
            var requestJson = arguments.Value("--request") is { } requestPath
                ? ReadJsonObject(requestPath, "--request")
                : drill?["incident"]?.DeepClone().AsObject() ?? throw new UsageException("--request <request.json> is required with --tenant live.");
            requestJson["mode"] = arguments.Has("--plan") ? "plan" : requestJson["mode"]?.GetValue<string>() ?? "contain";
            var parsed = ContainmentRequestParser.Parse(requestJson.ToJsonString(), live ? Environment.UserName : $"drill ({Environment.UserName})");
            if (!parsed.IsValid)
            {
                throw new UsageException("The containment request is invalid:\n" + string.Join('\n', parsed.Problems.Select(p => $"  {p.Field}: {p.Message}")));
            }

            fromRequest = parsed.Request;
        }

        var policyNode = arguments.Value("--policy") is { } policyPath
            ? ReadJsonObject(policyPath, "--policy")
            : drill?["policy"] ?? throw new UsageException("--policy <policy.json> is required with --tenant live: list the break-glass accounts and the role baseline.");
        var policy = policyNode.Deserialize<ContainmentPolicy>(PolicyJson) ?? new ContainmentPolicy();
        var problems = ContainmentPolicyValidator.Problems(policy);
        if (live && policy.ProtectedPrincipals.Count == 0)
        {
            problems = [.. problems, "ProtectedPrincipals is empty: name the break-glass accounts before acting on a live tenant."];
        }

        if (arguments.Value("--approval-timeout") is { } seconds)
        {
            // A drill's rehearsal of the timeout path: decisions that never come are waited for on the engine's durable timer.
            policy.ApprovalTimeout = live
                ? throw new UsageException("--approval-timeout is for drills on the simulated tenant; a live tenant keeps the policy's ApprovalTimeout.")
                : int.TryParse(seconds, out var value) && value is >= 1 and <= 3600
                    ? TimeSpan.FromSeconds(value)
                    : throw new UsageException($"--approval-timeout is a number of seconds from 1 to 3600, not '{seconds}'.");
        }

        if (problems.Count > 0)
        {
            throw new UsageException("The policy is invalid:\n" + string.Join('\n', problems.Select(p => "  " + p)));
        }

        var request = intakeRequest ?? fromRequest!;
        var journal = arguments.Value("--journal") ?? (live
            ? throw new UsageException("--journal <file.jsonl> is required with --tenant live: the main courante must be kept.")
            : Path.Combine("journal", $"{request.IncidentId}.jsonl"));
        var release = arguments.Value("--release") is { } releaseValue
            ? arguments.Has("--plan")
                ? throw new UsageException("--release undoes what the containment applied: not with --plan.")
                : ReleaseRequestParser.ParseSelection(releaseValue) is { } parsedSelection ? parsedSelection
                : throw new UsageException($"--release is all or a comma-separated list of sheet ids (e.g. 1.c,1.e or 1.c:<user>), not '{releaseValue}'.")
            : null;
        return new DrillSettings(scenario, live, arguments.Value("--tenant-id"), request, policy, approve, journal, arguments.Value("--state-out")) { Release = release };
    }

    /// <summary>The drill definition of a scenario: its incident and policy. "compromised-account-unlicensed" uses "compromised-account"'s.</summary>
    internal static JsonObject LoadDrill(string scenario)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Drills.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n["Drills.".Length..^".json".Length])
            .Where(n => scenario == n || scenario.StartsWith(n + "-", StringComparison.Ordinal))
            .OrderByDescending(n => n.Length)
            .FirstOrDefault() ?? throw new UsageException($"Scenario '{scenario}' has no drill definition (incident and policy): pass --request and --policy.");
        using var stream = assembly.GetManifestResourceStream($"Drills.{name}.json")!;
        return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
    }

    private static JsonObject ReadJsonObject(string path, string option)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new UsageException($"{option} {path}: expected a JSON object.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"{option} {path}: {ex.Message}");
        }
    }
}

internal enum ApprovalMode
{
    Ask,
    All,
    None,
}

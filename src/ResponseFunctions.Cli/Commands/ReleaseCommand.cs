using System.Text.Json;
using Azure.Identity;
using ResponseFunctions.Cli.Terminal;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Requests;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// Releases a finished containment from its main courante (a JSON Lines file): the release orchestration in the real
/// Durable Task engine, in this process, on the simulated tenant a drill left (--state-in) or, with --tenant live, a real one.
/// </summary>
internal static class ReleaseCommand
{
    private static readonly IReadOnlySet<string> Options = new HashSet<string>
    {
        "--scenario", "--state-in", "--state-out", "--tenant", "--tenant-id", "--policy", "--journal", "--incident", "--steps", "--reason", "--approve", "--approval-timeout",
    };

    private static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--plan" };

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Settings settings;
        try
        {
            settings = Read(Arguments.Parse(args, Options, Flags));
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        var entries = await new JsonLinesJournal(settings.JournalPath).ReadAsync(settings.Request.IncidentId, cancellationToken);
        var applied = OpenContainments.AppliedSteps(settings.Request.ContainmentInstanceId, entries);
        IReadOnlyList<RequestProblem> problems = applied.Count == 0
            ? [new RequestProblem("--incident", $"{settings.JournalPath} holds no applied step of containment {settings.Request.ContainmentInstanceId}: nothing to release.")]
            : OpenContainments.Unmatched(settings.Request.Selection, applied);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync(string.Join('\n', problems.Select(p => $"{p.Field}: {p.Message}")));
            return CommandLine.Usage;
        }

        await using var tenant = settings.StateIn is { } state ? await Tenant.StartFromStateAsync(state, ct: cancellationToken) : null;
        var graph = tenant is null
            ? PlaybookGraphClient.Create(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = settings.TenantId }))
            : PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        var journal = new EchoJournal(new JsonLinesJournal(settings.JournalPath), output);
        await using var engine = await InProcessEngine.StartAsync(
            DrillCommand.PlaybookServices(graph, journal, settings.Policy, tenant, settings.TenantId), DrillCommand.ApprovalChannel(settings.Approve, input, output),
            cancellationToken: cancellationToken);

        await output.WriteLineAsync($"Release of {settings.Request.Selection} from {settings.Request.ContainmentInstanceId} ({(tenant is null ? "LIVE tenant" : "simulated tenant")}), main courante {Path.GetFullPath(settings.JournalPath)}");
        ReleaseReport report;
        try
        {
            report = await engine.RunReleaseAsync(settings.Request, cancellationToken);
        }
        catch (ContainmentFailedException ex)
        {
            await error.WriteLineAsync($"The release did not complete: {ex.Failure?.ErrorMessage ?? ex.Status.ToString()}");
            return CommandLine.Failed;
        }

        await output.WriteLineAsync();
        ReportPrinter.PrintRelease(report, output);
        if (tenant is not null && settings.StateOut is { } stateOut)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateOut))!);
            await File.WriteAllTextAsync(stateOut, tenant.ExportStateJson(), cancellationToken);
            await output.WriteLineAsync($"Simulated tenant's final state: {Path.GetFullPath(stateOut)}");
        }

        return CommandLine.Ok;
    }

    private static Settings Read(Arguments arguments)
    {
        var live = arguments.LiveTenant();
        var incident = arguments.Value("--incident") ?? throw new UsageException("--incident <id> is required: the incident whose containment is released.");
        var journalPath = arguments.Value("--journal") ?? throw new UsageException("--journal <file.jsonl> is required: the containment's main courante.");
        if (!File.Exists(journalPath))
        {
            throw new UsageException($"--journal {journalPath}: no such file.");
        }

        var reason = arguments.Value("--reason") is { Length: > 0 } r && r.Length <= ReleaseRequestParser.MaxReason
            ? r
            : throw new UsageException($"--reason \"...\" is required (why the containment is released, at most {ReleaseRequestParser.MaxReason} characters).");
        var selection = ReleaseRequestParser.ParseSelection(arguments.Value("--steps") ?? "all")
            ?? throw new UsageException($"--steps is all or a comma-separated list of sheet ids (e.g. 1.c,1.e or 1.c:<user>), not '{arguments.Value("--steps")}'.");
        var approve = arguments.Value("--approve") switch
        {
            null or "ask" => ApprovalMode.Ask,
            "all" when !live => ApprovalMode.All,
            "all" => throw new UsageException("--approve all is for the simulated tenant; on a live tenant every restoring step is approved by a person (--approve ask)."),
            "none" => ApprovalMode.None,
            var other => throw new UsageException($"--approve is all, none or ask, not '{other}'."),
        };

        string? state = null;
        JsonElement? policyJson;
        if (live)
        {
            if (arguments.Has("--scenario") || arguments.Has("--state-in") || arguments.Has("--state-out"))
            {
                throw new UsageException("--scenario, --state-in and --state-out are for the simulated tenant, not with --tenant live.");
            }

            policyJson = ReadPolicy(arguments.Value("--policy") ?? throw new UsageException("--policy <policy.json> is required with --tenant live."));
        }
        else
        {
            var scenario = arguments.Value("--scenario") ?? throw new UsageException("--scenario <name> is required on the simulated tenant (its policy and planes).");
            var stateIn = arguments.Value("--state-in") ?? throw new UsageException("--state-in <state.json> is required on the simulated tenant: the state the drill left (drill --state-out).");
            state = File.Exists(stateIn) ? File.ReadAllText(stateIn) : throw new UsageException($"--state-in {stateIn}: no such file.");
            policyJson = arguments.Value("--policy") is { } path ? ReadPolicy(path) : JsonSerializer.SerializeToElement(DrillSettings.LoadDrill(scenario)["policy"]);
        }

        var policy = policyJson?.Deserialize<ContainmentPolicy>(DrillSettings.PolicyJson) ?? new ContainmentPolicy();
        if (arguments.Value("--approval-timeout") is { } seconds)
        {
            policy.ApprovalTimeout = !live && int.TryParse(seconds, out var value) && value is >= 1 and <= 3600
                ? TimeSpan.FromSeconds(value)
                : throw new UsageException("--approval-timeout is a number of seconds from 1 to 3600, on the simulated tenant only.");
        }

        if (ContainmentPolicyValidator.Problems(policy) is { Count: > 0 } problems)
        {
            throw new UsageException("The policy is invalid:\n" + string.Join('\n', problems.Select(p => "  " + p)));
        }

        var request = new ReleaseRequest(incident, InstanceIds.ForIncident(incident), selection, reason, live ? Environment.UserName : $"release ({Environment.UserName})",
            arguments.Has("--plan") ? ContainmentMode.Plan : ContainmentMode.Contain);
        return new Settings(request, policy, approve, journalPath, state, arguments.Value("--state-out"), arguments.Value("--tenant-id"));
    }

    private static JsonElement ReadPolicy(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }).RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"--policy {path}: {ex.Message}");
        }
    }

    private sealed record Settings(ReleaseRequest Request, ContainmentPolicy Policy, ApprovalMode Approve, string JournalPath, string? StateIn, string? StateOut, string? TenantId);
}

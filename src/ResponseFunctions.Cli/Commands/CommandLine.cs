namespace ResponseFunctions.Cli.Commands;

/// <summary>Dispatches the command line. Exit codes: 0 done, 1 the run failed, 2 the command line or a file is wrong.</summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string DrillUsage = """
        Usage:
          responsefunctions drill --scenario <name> [--approve all|none|ask] [--plan] [--journal <file.jsonl>] [--state-out <file.json>]
                                  [--request <request.json>] [--policy <policy.json>] [--approval-timeout <seconds>] [--release all|<ids>]
          responsefunctions drill --tenant live --policy <policy.json> --request <request.json> --journal <file.jsonl>
                                  [--tenant-id <id>] [--approve ask|none] [--plan]
          responsefunctions drill --scenario <name> --incident <sentinel-incident.json> [--approve all|none|ask] [--plan] ...

        drill     Runs the containment playbook in the real Durable Task engine, in this process: plan every step, then (unless --plan) ask for
                  each destructive step's approval and apply it. Prints the plan, every decision and outcome, and writes
                  the main courante (JSON Lines). On the simulated tenant (default) it can also write the final state.
                  --approve all    approve every step (drills only), none: reject every step, ask: prompt (default)
                  --request        the containment request, as POSTed to /api/containments (default: the scenario's incident)
                  --policy         the policy (Containment section as JSON; default: the scenario's)
                  --tenant live    act on a real tenant with Azure.Identity's DefaultAzureCredential (az login, managed identity...)
                  --incident       a Sentinel incident (trigger body): runs the containment intake would start for it
                  --release        after the containment, release it on the same tenant: all (every reversible step) or
                                   sheet ids, e.g. 1.c,1.e or 1.c:<user>; each restoring step is approved like the others
                  --approval-timeout  seconds to wait for each decision (simulated tenant only: rehearses the timeout
                                   path without waiting the policy's minutes; a live tenant keeps the policy's timeout)
        """;

    private const string ReleaseUsage = """
        Usage:
          responsefunctions release --scenario <name> --state-in <state.json> --journal <file.jsonl> --incident <id> --reason "<why>"
                                    [--steps all|<ids>] [--approve all|none|ask] [--plan] [--state-out <file.json>] [--approval-timeout <seconds>]
          responsefunctions release --tenant live --policy <policy.json> --journal <file.jsonl> --incident <id> --reason "<why>"
                                    [--steps all|<ids>] [--approve ask|none] [--plan] [--tenant-id <id>]

        release   Undoes a finished containment from its main courante (the journal file it wrote), in the real Durable Task
                  engine in this process: plans each restoring step against the tenant now (nothing changed since is
                  overwritten), asks for each step's approval, applies and verifies it, and journals it in the same file
                  linked to the step it undoes; lists what cannot be undone and the follow-up a person must do.
                  --steps          all (every reversible step, default) or sheet ids, e.g. 1.c,1.e or 1.c:<user>
                  --state-in       the simulated tenant as the drill left it (drill --state-out)
                  --plan           propose only: plan every restoring step, ask nobody, change nothing
        """;

    private const string TriageUsage = """
        Usage:
          responsefunctions triage --sentinel <incident.json> | --risk <riskDetection.json> [--triage-table <table.json>] [--min-risk-level high|medium|low]
                                   [--min-risk-level-for <riskEventType>=<level>[,...]]

        triage    What-if: prints the triage intake would make (cases, targets, reasons, ignored entities); changes nothing.
                  For a risk detection it shows the threshold applied: the type's own (defaults per the Identity Protection
                  risk reference, e.g. mcasSuspiciousInboxManipulationRules and investigationsThreatIntelligence from medium) or the global one.
        """;

    private const string SimServeUsage = """
        Usage:
          responsefunctions sim serve --scenario <name> [--port <port>]

        sim serve Serves the simulated tenant (Graph v1.0) on 127.0.0.1 until Ctrl+C.
        """;

    private const string BaselineUsage = """
        Usage:
          responsefunctions baseline capture --scenario <name> | --tenant live [--tenant-id <id>] [--app <appId>[,<appId>...]] [--out <file.json>]

        baseline capture  Reads the known-good state (read-only) and writes it as a policy fragment: RoleBaseline (role
                  holders, active and eligible) and ApplicationBaselines (owners, app-scoped roles, certificates,
                  assignments, permissions) of every app registration plus the --app ones. Run it in peacetime.
        """;

    private const string SetupUsage = """
        Usage:
          responsefunctions setup permissions --identity <objectId> [--plan] --scenario <name> [--state-out <file.json>] | --tenant live [--tenant-id <id>]
                                  [--app-url <https URL of the Function App>] [--client-id-out <file>]

        setup permissions  Grants the playbook identity (--identity: its object id) exactly the Microsoft Graph
                  application permissions, Exchange.ManageAsApp and Entra roles the actions need, and creates or updates
                  the approval app registration (app role Containment.Approver, sign-in redirect to --app-url, assignment
                  required). Idempotent: a second run changes nothing. --plan prints what it would change. azd's
                  postprovision hook runs it as the person deploying.
        """;

    private const string JournalUsage = """
        Usage:
          responsefunctions journal verify --incident <id> (--file <copy.jsonl> | --connection-string-env <VAR> | --blob-service-uri <uri>)
                                  [--container <name>] [--anchor <count:hash>]      (key: environment variable RF_JOURNAL_CHAIN_KEY)

        journal verify  Checks a blob main courante's keyed chain (and, with --anchor from a Sentinel comment or an
                  export, that nothing was cut off); prints the first bad entry. Exit 0 intact, 1 broken.
        """;

    private const string BenchUsage = """
        Usage:
          responsefunctions bench --scenario password-spray --users <N> [--latency-ms <ms>] [--tenant-size small|medium|large] [--json <out.json>]
                                  [--wave-size <targets>] [--parallel-waves <n>] [--running-waves <n>] [--waves-per-group <n>] [--parallel-steps <n>] [--journal <file>]
                                  [--blob-journal-env <VAR>] [--allocations]

        bench     Seeds N compromised accounts in the simulated tenant (Graph's identity throttling on, --tenant-size, default
                  large; --latency-ms per request, default 0), runs the Case 1 containment in the real Durable Task engine
                  in-process with every step pre-approved by policy, and prints the figures as JSON (requests, writes,
                  throttled, wallSeconds against boundSeconds, first write, P0 complete, memory, journal, the largest
                  history of any instance, custom status, approvals, cards). --wave-size, --parallel-waves,
                  --running-waves, --waves-per-group and --parallel-steps set Containment:Engine for the run. --journal keeps the main courante
                  in that file; --blob-journal-env journals to the blob journal (the connection string in that variable)
                  and verifies its chain; --allocations adds the types that allocated most (sampled). Asserts nothing about time; exit 1 only if the containment did not complete or
                  the chain does not verify.
        """;

    public const string Help = "ResponseFunctions — contain a compromised Microsoft 365 / Entra ID tenant (InterCERT-France / ANSSI sheet).\n\n"
        + DrillUsage + "\n" + ReleaseUsage + "\n" + TriageUsage + "\n" + SimServeUsage + "\n" + BaselineUsage + "\n" + SetupUsage + "\n" + JournalUsage + "\n" + BenchUsage;

    /// <summary>Each command's own usage, printed for "&lt;command&gt; --help" (or -h) instead of an unknown-option error.</summary>
    public static string? UsageOf(IReadOnlyList<string> args) => args switch
    {
        ["drill", ..] => DrillUsage,
        ["release", ..] => ReleaseUsage,
        ["triage", ..] => TriageUsage,
        ["sim", ..] => SimServeUsage,
        ["baseline", ..] => BaselineUsage,
        ["setup", ..] => SetupUsage,
        ["journal", ..] => JournalUsage,
        ["bench", ..] => BenchUsage,
        _ => null,
    };

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length > 1 && (args.Contains("--help") || args.Contains("-h")) && UsageOf(args) is { } usage)
        {
            await output.WriteLineAsync(usage);
            return Ok;
        }

        switch (args)
        {
            case ["help", .. var topic] when UsageOf(topic) is { } topicUsage:
                await output.WriteLineAsync(topicUsage);
                return Ok;
            case ["drill", .. var rest]:
                return await DrillCommand.RunAsync(rest, input, output, error, cancellationToken);
            case ["release", .. var rest]:
                return await ReleaseCommand.RunAsync(rest, input, output, error, cancellationToken);
            case ["triage", .. var rest]:
                return await TriageCommand.RunAsync(rest, output, error);
            case ["baseline", "capture", .. var rest]:
                return await BaselineCommand.RunAsync(rest, output, error, cancellationToken);
            case ["setup", "permissions", .. var rest]:
                return await SetupCommand.RunAsync(rest, output, error, cancellationToken);
            case ["journal", "verify", .. var rest]:
                return await JournalVerifyCommand.RunAsync(rest, output, error, cancellationToken);
            case ["bench", .. var rest]:
                return await BenchCommand.RunAsync(rest, output, error, cancellationToken);
            case ["sim", "serve", .. var rest]:
                return await SimServeCommand.RunAsync(rest, output, error, cancellationToken);
            case [] or ["help"] or ["--help"] or ["-h"]:
                await output.WriteLineAsync(Help);
                return args.Length == 0 ? Usage : Ok;
            default:
                await error.WriteLineAsync($"Unknown command '{string.Join(' ', args)}'.\n\n{Help}");
                return Usage;
        }
    }
}

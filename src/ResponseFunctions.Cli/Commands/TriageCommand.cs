using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Serialization.Json;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// What-if: <c>triage --sentinel &lt;incident.json&gt;</c> or <c>--risk &lt;riskDetection.json&gt;</c> prints what intake
/// would decide (cases, targets, reasons, ignored entities) and the incident id it would contain under. Changes nothing.
/// </summary>
internal static class TriageCommand
{
    private static readonly IReadOnlySet<string> Options = new HashSet<string> { "--sentinel", "--risk", "--triage-table", "--min-risk-level", "--min-risk-level-for" };

    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Printed for people at a terminal, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var arguments = Arguments.Parse(args, Options, new HashSet<string>());
            var (triage, incidentId) = Triage(arguments);
            await output.WriteLineAsync(JsonSerializer.Serialize(new { incidentId, triage = TriageView.From(triage) }, Output));
            return CommandLine.Ok;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }
    }

    /// <summary>The containment a Sentinel payload would start (for <c>drill --incident</c>); a usage error when it calls for none.</summary>
    public static ContainmentRequest RequestFor(string incidentPath, bool plan)
    {
        var incident = ReadSentinel(incidentPath);
        var triage = SentinelTriage.Triage(incident, TriageTable.Default);
        var request = IntakeRequests.From(triage, SentinelTriage.IncidentIdFor(incident), IncidentSource.Sentinel)
            ?? throw new UsageException($"--incident {incidentPath}: the incident calls for no containment. {string.Join(" ", triage.Reasons)}");
        return plan ? request with { Mode = ContainmentMode.Plan } : request;
    }

    private static (TriageResult Triage, string? IncidentId) Triage(Arguments arguments)
    {
        var table = arguments.Value("--triage-table") is { } tablePath ? ReadTable(tablePath) : TriageTable.Default;
        if (arguments.Value("--sentinel") is { } sentinelPath)
        {
            var incident = ReadSentinel(sentinelPath);
            var triage = SentinelTriage.Triage(incident, table);
            return (triage, triage.CallsForContainment ? SentinelTriage.IncidentIdFor(incident) : null);
        }

        if (arguments.Value("--risk") is { } riskPath)
        {
            var detection = ReadRiskDetection(riskPath);
            var options = new IdentityProtectionOptions { MinimumRiskLevel = arguments.Value("--min-risk-level") ?? "high" };
            foreach (var pair in (arguments.Value("--min-risk-level-for") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (eventType, level) = pair.Split('=', 2) is [var t, var l] ? (t, l) : throw new UsageException($"--min-risk-level-for: '{pair}' is not <riskEventType>=<level>.");
                options.MinimumRiskLevelByType[eventType] = level;
            }

            var triage = RiskTriage.Triage(detection, riskyUser: null, options);
            var (threshold, perType) = options.ThresholdFor(detection.RiskEventType ?? "unknown");
            triage = triage with { Evidence = [.. triage.Evidence, new("risk threshold", $"{threshold} ({(perType ? $"set for {detection.RiskEventType}" : "global")})")] };
            return (triage, triage.CallsForContainment && detection.DetectedDateTime is { } at
                ? IntakeIds.ForRisk(detection.UserId!, IntakeIds.WindowStart(at, options.Window))
                : null);
        }

        throw new UsageException("triage needs --sentinel <incident.json> or --risk <riskDetection.json>.");
    }

    private static SentinelIncident ReadSentinel(string path)
    {
        try
        {
            return SentinelPayloadParser.Parse(Read(path));
        }
        catch (SentinelPayloadException ex)
        {
            throw new UsageException($"{path}: {ex.Message}");
        }
    }

    private static RiskDetection ReadRiskDetection(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(Read(path));
            return new JsonParseNode(document.RootElement).GetObjectValue(RiskDetection.CreateFromDiscriminatorValue)
                ?? throw new UsageException($"{path}: not a riskDetection.");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new UsageException($"{path}: not a Graph riskDetection: {ex.Message}");
        }
    }

    private static TriageTable ReadTable(string path)
    {
        try
        {
            var options = JsonSerializer.Deserialize<TriageOptions>(Read(path), new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip })
                ?? new TriageOptions();
            return options.ToTable();
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--triage-table {path}: {ex.Message} (expected {{\"includeDefaults\": true, \"rules\": [...]}}).");
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: {ex.Message}");
        }
    }
}

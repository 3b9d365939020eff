using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The what-if commands: triage of a Sentinel incident or a risk detection, and the drill an incident would start.</summary>
public sealed class IntakeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("intake-").FullName;

    [Fact]
    public async Task Triage_SentinelIncident_PrintsCasesTargetsReasonsIgnored()
    {
        var (exit, output, _) = await Cli.RunAsync("triage", "--sentinel", Sample("sentinel/incident-atypical-travel.json"));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var triage = json.RootElement.GetProperty("triage");
        Assert.Equal([1], triage.GetProperty("cases").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(["5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01"], triage.GetProperty("targets").GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.NotEmpty(triage.GetProperty("reasons").EnumerateArray());
        Assert.Equal(4, triage.GetProperty("ignored").GetArrayLength());
        Assert.StartsWith("sentinel-4187-", json.RootElement.GetProperty("incidentId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_MediumRiskDetection_PrintsNoCaseAndWhy()
    {
        var (exit, output, _) = await Cli.RunAsync("triage", "--risk", Sample("identity-protection/riskDetection-unfamiliarFeatures-medium.json"));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("triage").GetProperty("cases").GetArrayLength());
        Assert.Contains("below the threshold", json.RootElement.GetProperty("triage").GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_MediumThreatIntelligenceDetection_ShowsItsOwnThresholdAndCallsForCase1()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("risk-").FullName, "detection.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(Sample("identity-protection/riskDetection-unfamiliarFeatures-medium.json")))
            .Replace("\"unfamiliarFeatures\"", "\"investigationsThreatIntelligence\"", StringComparison.Ordinal));

        var (exit, output, _) = await Cli.RunAsync("triage", "--risk", path);
        var (_, overridden, _) = await Cli.RunAsync("triage", "--risk", path, "--min-risk-level-for", "investigationsThreatIntelligence=high");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("triage").GetProperty("cases").GetArrayLength());
        Assert.Contains("medium (set for investigationsThreatIntelligence)", output, StringComparison.Ordinal);
        using var high = JsonDocument.Parse(overridden);
        Assert.Equal(0, high.RootElement.GetProperty("triage").GetProperty("cases").GetArrayLength());
    }

    [Fact]
    public async Task Triage_HighRiskDetection_PrintsCase1ForTheUser()
    {
        var (exit, output, _) = await Cli.RunAsync("triage", "--risk", Sample("identity-protection/riskDetection-unlikelyTravel-high.json"));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal([1], json.RootElement.GetProperty("triage").GetProperty("cases").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal("risk-5c1a9e2b0d4f4b7e8a3c1e2f3a4b5c01-202611200000", json.RootElement.GetProperty("incidentId").GetString());
    }

    [Fact]
    public async Task Drill_Incident_RunsTheContainmentWithTriageFirstAndCommentsOnTheIncident()
    {
        var journal = Path.Combine(_folder, "journal.jsonl");
        var state = Path.Combine(_folder, "state.json");

        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "compromised-account-sentinel", "--incident", Sample("sentinel/incident-atypical-travel.json"),
            "--approve", "all", "--journal", journal, "--state-out", state);

        Assert.True(exit == 0, error);
        var actions = File.ReadAllLines(journal).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("action").GetString()).ToList();
        Assert.Equal(["intake.triaged", "containment.started"], actions.Take(2));
        Assert.Contains("1.c", actions);
        using var final = JsonDocument.Parse(File.ReadAllText(state));
        Assert.Equal(3, final.RootElement.GetProperty("sentinel").GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Triage_NoInput_IsAUsageError()
    {
        var (exit, _, error) = await Cli.RunAsync("triage");

        Assert.Equal(2, exit);
        Assert.Contains("--sentinel", error, StringComparison.Ordinal);
    }

    private static string Sample(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", relative);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(relative);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

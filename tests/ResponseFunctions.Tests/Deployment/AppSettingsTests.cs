using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Hosting;
using ResponseFunctions.Intake;
using ResponseFunctions.Journal;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Teams;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Tests.Deployment;

/// <summary>
/// The app settings infra/ sets and the configuration the host reads are the same set: no setting the host ignores,
/// and the host's start-up validation passes on what the deployment sets (with the user's parameters).
/// </summary>
public sealed partial class AppSettingsTests
{
    /// <summary>
    /// Settings the Functions platform reads, not our code. Sources: "Connecting to host storage with an identity"
    /// (AzureWebJobsStorage__credential/clientId/blobServiceUri/queueServiceUri/tableServiceUri), "App settings
    /// reference for Azure Functions" (APPLICATIONINSIGHTS_CONNECTION_STRING, APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
    /// </summary>
    private static readonly string[] PlatformSettings =
    [
        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>The option sections the host binds, by the types it binds them to.</summary>
    private static readonly (string Section, Type Options)[] BoundSections =
    [
        (ContainmentPolicy.SectionName, typeof(ContainmentPolicy)),
        (ApprovalOptions.SectionName, typeof(ApprovalOptions)),
        (TeamsOptions.SectionName, typeof(TeamsOptions)),
        (TriageOptions.SectionName, typeof(TriageOptions)),
        (IdentityProtectionOptions.SectionName, typeof(IdentityProtectionOptions)),
        (IncidentReportingOptions.SectionName, typeof(IncidentReportingOptions)),
    ];

    [Fact]
    public async Task BicepSettings_AreEachAKeyTheHostBinds()
    {
        var keys = await BicepSettingKeysAsync();
        var raw = KeysTheHostReads();

        Assert.Contains("Approvals__PageBaseUrl", keys);
        Assert.Contains("Containment__ProtectedPrincipals__0", keys);
        Assert.All(keys.Except(PlatformSettings), key =>
        {
            var path = ConfigurationPath(key);
            Assert.True(raw.Contains(path) || BoundByOptions(path), $"app setting {key} ({path}) is not read by the host");
        });
    }

    [Fact]
    public async Task BicepSettings_PassTheHostsStartUpValidation_WithAndWithoutTeams()
    {
        var keys = await BicepSettingKeysAsync();

        Validate(Sample(keys, teams: true));
        Validate(Sample(keys, teams: false));
    }

    [Fact]
    public async Task StartUpValidation_WithoutASettingTheBicepSets_Fails()
    {
        // The check above can fail: the host refuses to start with a Teams webhook and no signing key.
        var settings = Sample(await BicepSettingKeysAsync(), teams: true);
        settings.Remove("Approvals:SigningKey");

        Assert.ThrowsAny<OptionsValidationException>(() => Validate(settings));
    }

    /// <summary>Composes the app as Program.cs does (Hosting/ResponseFunctionsApp.cs) and runs every ValidateOnStart validation.</summary>
    private static void Validate(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Azure.Functions.Worker.Builder.FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddResponseFunctions();
        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    /// <summary>Every key the compiled template sets: the function app module's literal settings and its computed ones.</summary>
    internal static async Task<IReadOnlyList<string>> BicepSettingKeysAsync()
    {
        var infra = await BicepCli.InfraAsync();
        var app = infra.Module("functionApp");
        var resource = Assert.Single(CompiledInfra.ResourcesOfType(app, "Microsoft.Web/sites/config"), r => ((string)r["name"]!).Contains("'appsettings'", StringComparison.Ordinal));
        var expression = (string)resource["properties"]!;
        Assert.Contains("parameters('appSettings')", expression, StringComparison.Ordinal);

        var literal = infra.ModuleParameters("functionApp")["appSettings"]!["value"]!.AsObject().Select(p => p.Key);
        var computed = ArmExpression.CreateObjectKeys(expression);
        var indexed = ArmExpression.FormatStrings(expression).Where(f => f.EndsWith("__{0}", StringComparison.Ordinal)).Select(f => f.Replace("{0}", "0", StringComparison.Ordinal));
        return [.. literal.Concat(computed).Concat(indexed).Distinct(StringComparer.Ordinal)];
    }

    private static string ConfigurationPath(string appSetting) => appSetting.Replace("__", ":", StringComparison.Ordinal);

    private static bool BoundByOptions(string path) => BoundSections.Any(bound =>
    {
        if (!path.StartsWith(bound.Section + ":", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var property = path[(bound.Section.Length + 1)..].Split(':')[0];
        return bound.Options.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true } or { PropertyType.IsGenericType: true };
    });

    /// <summary>The keys the host reads directly (configuration["..."]) in its sources.</summary>
    private static HashSet<string> KeysTheHostReads() =>
        Directory.EnumerateFiles(Repository.PathOf("src", "ResponseFunctions"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => RawKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("""configuration\["([^"]+)"\]""")]
    private static partial Regex RawKey();

    /// <summary>A value of the right shape for each key (what the platform resolves Key Vault references and outputs to).</summary>
    private static Dictionary<string, string?> Sample(IEnumerable<string> keys, bool teams)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys.Except(PlatformSettings))
        {
            values[ConfigurationPath(key)] = key switch
            {
                "Approvals__SigningKey" or "Journal__ChainKey" => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                "Approvals__PageBaseUrl" => "https://func-rf.azurewebsites.net",
                "Teams__WebhookUrl" => teams ? "https://prod-00.westeurope.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=redacted" : string.Empty,
                "Journal__Container" => "main-courante",
                "Intake__IdentityProtection__Enabled" => "false",
                _ when key.EndsWith("Uri", StringComparison.Ordinal) => "https://strf.blob.core.windows.net/",
                _ => Guid.NewGuid().ToString(),
            };
        }

        return values;
    }
}

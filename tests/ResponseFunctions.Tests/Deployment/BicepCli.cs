using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ResponseFunctions.Tests.Deployment;

/// <summary>
/// The Bicep CLI of the Azure.Bicep.CommandLine.linux-x64 package (this project's PackageDownload puts it in the
/// NuGet cache on restore). Compiles infra/main.bicep once per test run and lints every Bicep file.
/// </summary>
internal static class BicepCli
{
    public const string Version = "0.49.2";

    private static readonly Lazy<Task<CompiledInfra>> Compiled = new(CompileAsync);

    public static Task<CompiledInfra> InfraAsync() => Compiled.Value;

    public static string Binary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var binary = Path.Combine(packages, "azure.bicep.commandline.linux-x64", Version, "tools", "bicep");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {binary}: restore this test project (PackageDownload Azure.Bicep.CommandLine.linux-x64 {Version}).");
        }

        // NuGet extracts without the executable bit. (The package is the linux-x64 build: Linux only.)
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The deployment tests run the linux-x64 Bicep CLI.");
        }

        var mode = File.GetUnixFileMode(binary);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(binary, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return binary;
    }

    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Binary())
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry and no registry look-ups from a test.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static async Task<CompiledInfra> CompileAsync()
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"rf-infra-{Guid.NewGuid():N}", "main.json");
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        var build = await RunAsync("build", Repository.PathOf("infra", "main.bicep"), "--outfile", outFile);
        var lint = await RunAsync("lint", "--pattern", "infra/**/*.bicep");
        var template = build.Exit == 0 ? JsonNode.Parse(await File.ReadAllTextAsync(outFile))!.AsObject() : new JsonObject();
        return new CompiledInfra(template, build, lint);
    }
}

/// <summary>infra/main.bicep compiled to ARM JSON, with what the build and the lint of every file printed.</summary>
internal sealed record CompiledInfra(JsonObject Main, (int Exit, string Output, string Error) Build, (int Exit, string Output, string Error) Lint)
{
    /// <summary>The template of a module of main.bicep (its symbolic name), as nested in the compiled JSON.</summary>
    public JsonObject Module(string symbolicName) => Resource(Main, symbolicName)["properties"]!["template"]!.AsObject();

    /// <summary>The parameters main passes to a module.</summary>
    public JsonObject ModuleParameters(string symbolicName) => Resource(Main, symbolicName)["properties"]!["parameters"]!.AsObject();

    /// <summary>Resources of a template, whichever form the compiler chose (array, or symbolic names with languageVersion 2.0).</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject named => named.Select(p => p.Value!.AsObject()),
        _ => [],
    };

    public static IEnumerable<JsonObject> ResourcesOfType(JsonObject template, string type) =>
        Resources(template).Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    private static JsonObject Resource(JsonObject template, string symbolicName) =>
        template["resources"] is JsonObject named && named[symbolicName] is JsonObject found
            ? found
            : throw new KeyNotFoundException($"No resource '{symbolicName}' in the compiled template.");
}

using System.Diagnostics;
using Microsoft.Playwright;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright for .NET: the one at RF_TEST_CHROMIUM or /usr/bin/chromium (.ci/run installs
/// it with apt-get), else this fixture installs it with apt-get when it runs as root, so `dotnet test` alone works on a
/// fresh CI machine. Otherwise the browser tests FAIL with the reason; they never skip, and Playwright never downloads
/// a browser. Each run gets a fresh profile (--user-data-dir, through the persistent context) and no network extras.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Variable = "RF_TEST_CHROMIUM";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private string? _profile;

    /// <summary>One browser, one profile; each approver is a page with their own Easy Auth headers. Script is off for every page.</summary>
    public IBrowserContext Context { get; private set; } = null!;

    /// <summary>Where screenshots go: under the test output, kept by CI as artifacts.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-artifacts")).FullName;

    public async Task InitializeAsync()
    {
        var executable = await FindOrInstallAsync();
        _playwright = await Playwright.CreateAsync();
        _profile = Directory.CreateTempSubdirectory("rf-chromium-profile-").FullName;
        Context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Arguments,
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    public async Task DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.CloseAsync();
        }

        _playwright?.Dispose();
        if (_profile is not null && Directory.Exists(_profile))
        {
            Directory.Delete(_profile, recursive: true);
        }
    }

    private static async Task<string> FindOrInstallAsync()
    {
        var executable = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (File.Exists(executable))
        {
            return executable;
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            throw new InvalidOperationException(
                $"No Chromium at {executable} and it cannot be installed here (needs Debian's apt-get as root). Install it (`apt-get install -y chromium`) or set {Variable}. The browser tests do not skip.");
        }

        await RunAsync("apt-get", "update");
        await RunAsync("apt-get", "install -y chromium");
        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException($"apt-get installed chromium but {executable} does not exist. Set {Variable}. The browser tests do not skip.");
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {file}.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` failed ({process.ExitCode}): {await error}. The browser tests do not skip.");
        }
    }
}

/// <summary>One Chromium for every browser test class.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>
/// An Azurite blob service for the blob journal tests: the one named by RF_TEST_BLOB_CONNECTION (.ci/run starts one
/// with eng/azurite/azurite.sh), else one this fixture installs (npm ci, pinned by eng/azurite/package-lock.json) and
/// starts on a free loopback port, so `dotnet test` alone works on a fresh machine. If neither works the tests FAIL
/// with the reason: nothing is skipped silently.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Variable = "RF_TEST_BLOB_CONNECTION";

    // Azurite's well-known development account (public, documented; not a secret).
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _azurite;
    private string? _dataFolder;

    public BlobStore Store { get; private set; } = null!;

    /// <summary>The chain key of the tests' journals (in production it comes from Key Vault, never from the storage account).</summary>
    public static JournalChainKey ChainKey { get; } = JournalChainKey.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    /// <summary>A container of its own per test, so runs never see each other's blobs.</summary>
    public static string NewContainer() => "test-" + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync()
    {
        var connection = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : await StartOwnAzuriteAsync();
        Store = BlobStore.FromConnectionString(connection);
        var endpoint = Store.ServiceUri;
        if (!await IsListeningAsync(endpoint.Host, endpoint.Port))
        {
            throw new InvalidOperationException($"Azurite (blob service) is not reachable at {endpoint.Host}:{endpoint.Port} ({Variable}). The blob journal tests do not skip.");
        }
    }

    public Task DisposeAsync()
    {
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            _azurite.WaitForExit(5000);
        }

        _azurite?.Dispose();
        if (_dataFolder is not null && Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<string> StartOwnAzuriteAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "eng", "azurite");
        var azurite = Path.Combine(folder, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(azurite))
        {
            await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", folder);
        }

        var port = FreePort();
        _dataFolder = Directory.CreateTempSubdirectory("rf-azurite-").FullName;
        _azurite = Process.Start(new ProcessStartInfo(azurite,
            $"--blobHost 127.0.0.1 --blobPort {port} --location \"{_dataFolder}\" --silent --skipApiVersionCheck")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start Azurite.");
        for (var attempt = 0; attempt < 120 && !await IsListeningAsync("127.0.0.1", port); attempt++)
        {
            if (_azurite.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited: {await _azurite.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(250);
        }

        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    private static async Task<bool> IsListeningAsync(string host, int port)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, string folder)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"Could not run {file}.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` in {folder} failed ({process.ExitCode}): {await error}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ResponseFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (ResponseFunctions.sln) above the test assembly.");
    }
}

/// <summary>One Azurite for every blob test class: a second instance would race the first's npm install.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

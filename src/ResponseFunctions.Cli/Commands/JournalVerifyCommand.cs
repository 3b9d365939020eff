using System.Text;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// <c>journal verify --incident &lt;id&gt; (--file &lt;copy.jsonl&gt; | --connection-string-env &lt;VAR&gt; | --blob-service-uri &lt;uri&gt;)
/// [--container &lt;name&gt;] [--anchor count:hash]</c>: checks a blob main courante's keyed chain (and, with an
/// anchor taken from a Sentinel comment or an export, that nothing was cut off) and names the first bad entry. The
/// key is read from the environment variable RF_JOURNAL_CHAIN_KEY, never from the command line (process lists
/// and shell history would keep it). Exit 0 intact, 1 broken, 2 usage.
/// </summary>
internal static class JournalVerifyCommand
{
    public const string KeyVariable = "RF_JOURNAL_CHAIN_KEY";

    private static readonly IReadOnlySet<string> Options = new HashSet<string>
    {
        "--incident", "--file", "--connection-string-env", "--blob-service-uri", "--container", "--anchor",
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var arguments = Arguments.Parse(args, Options, new HashSet<string>());
            var incident = arguments.Value("--incident") ?? throw new UsageException("--incident is required.");
            var key = Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } base64
                ? ParseKey(base64)
                : throw new UsageException($"Set {KeyVariable} to the journal chain key (base64, from Key Vault).");
            ChainAnchor? anchor = null;
            if (arguments.Value("--anchor") is { } anchorText && !ChainAnchor.TryParse(anchorText, out anchor))
            {
                throw new UsageException("--anchor must be count:hash, as printed by a Sentinel comment or an export.");
            }

            var verification = await VerifyAsync(arguments, incident, key, anchor, cancellationToken);
            await output.WriteLineAsync($"Main courante of incident {incident}: {verification}");
            return verification.Intact ? CommandLine.Ok : CommandLine.Failed;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }
    }

    private static async Task<ChainVerification> VerifyAsync(Arguments arguments, string incident, JournalChainKey key, ChainAnchor? anchor, CancellationToken cancellationToken)
    {
        if (arguments.Value("--file") is { } file)
        {
            return File.Exists(file)
                ? JournalChain.Read(key, incident, await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken), anchor).Verification
                : throw new UsageException($"No file '{file}'.");
        }

        var store = arguments.Value("--connection-string-env") is { } variable
            ? BlobStore.FromConnectionString(Environment.GetEnvironmentVariable(variable) ?? throw new UsageException($"The environment variable {variable} is not set."))
            : arguments.Value("--blob-service-uri") is { } uri
                ? BlobStore.WithCredential(new Uri(uri), new Azure.Identity.DefaultAzureCredential())
                : throw new UsageException("One of --file, --connection-string-env or --blob-service-uri is required.");
        var journal = new BlobJournal(store, key, arguments.Value("--container") ?? BlobJournal.DefaultContainer);
        return await journal.VerifyAsync(incident, anchor, cancellationToken);
    }

    private static JournalChainKey ParseKey(string base64)
    {
        try
        {
            return JournalChainKey.FromBase64(base64);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}

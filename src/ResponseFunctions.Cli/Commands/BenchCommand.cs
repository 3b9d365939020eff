using System.Text.Json;
using ResponseFunctions.Cli.Bench;

namespace ResponseFunctions.Cli.Commands;

/// <summary>bench: runs <see cref="BenchRun"/> and prints (and with --json writes) its figures. Exit 0 when measured, whatever the times.</summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        BenchSettings settings;
        try
        {
            settings = BenchSettings.From(Arguments.Parse(args, BenchSettings.Options, BenchSettings.Flags));
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        var journalPath = settings.JournalPath is { } kept ? Path.GetFullPath(kept) : Path.Combine(Path.GetTempPath(), $"rf-bench-{Guid.NewGuid():N}.jsonl");
        if (settings.JournalPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(journalPath)!);
            File.Delete(journalPath);
        }

        try
        {
            var result = await BenchRun.RunAsync(settings, journalPath, cancellationToken);
            var json = JsonSerializer.Serialize(result, Json);
            await output.WriteLineAsync(json);
            if (settings.JsonPath is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await File.WriteAllTextAsync(path, json, cancellationToken);
            }

            // A containment that did not complete, or a journal whose chain does not verify, fails the run.
            var intact = result.JournalVerified is null || result.JournalVerified.StartsWith("intact", StringComparison.Ordinal);
            return result.Outcome.StartsWith("completed", StringComparison.Ordinal) && intact ? CommandLine.Ok : CommandLine.Failed;
        }
        finally
        {
            if (settings.JournalPath is null)
            {
                File.Delete(journalPath);
            }
        }
    }
}

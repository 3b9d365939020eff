using ResponseFunctions.Cli.Commands;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Cli.Tests;

/// <summary>journal verify on a downloaded copy of a blob main courante: intact, altered, truncated against its anchor.</summary>
[Collection(nameof(JournalVerifyCommandTests))]
public sealed class JournalVerifyCommandTests : IDisposable
{
    private const string Incident = "INC-9";
    private static readonly string KeyBase64 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _file = Path.GetTempFileName();

    public JournalVerifyCommandTests() => Environment.SetEnvironmentVariable(JournalVerifyCommand.KeyVariable, KeyBase64);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(JournalVerifyCommand.KeyVariable, null);
        File.Delete(_file);
    }

    [Fact]
    public async Task Verify_IntactCopy_Exit0WithTheChainHead()
    {
        var (lines, head) = Chain(3);
        await File.WriteAllTextAsync(_file, string.Concat(lines));

        var (exit, output, _) = await Cli.RunAsync("journal", "verify", "--incident", Incident, "--file", _file, "--anchor", head.ToString());

        Assert.Equal(CommandLine.Ok, exit);
        Assert.Contains("intact (3 entries", output, StringComparison.Ordinal);
        Assert.Contains(head.Head, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryAltered_Exit1NamingTheFirstBadLine()
    {
        var (lines, _) = Chain(3);
        lines[1] = lines[1].Replace("step 2", "step two", StringComparison.Ordinal);
        await File.WriteAllTextAsync(_file, string.Concat(lines));

        var (exit, output, _) = await Cli.RunAsync("journal", "verify", "--incident", Incident, "--file", _file);

        Assert.Equal(CommandLine.Failed, exit);
        Assert.Contains("BROKEN at line 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TruncatedCopyAgainstItsAnchor_Exit1()
    {
        var (lines, head) = Chain(3);
        await File.WriteAllTextAsync(_file, string.Concat(lines.Take(2)));

        var (exit, output, _) = await Cli.RunAsync("journal", "verify", "--incident", Incident, "--file", _file, "--anchor", head.ToString());

        Assert.Equal(CommandLine.Failed, exit);
        Assert.Contains("BROKEN at line 3", output, StringComparison.Ordinal);
        Assert.Contains("truncated", output, StringComparison.Ordinal);
    }

    private static (List<string> Lines, ChainAnchor Head) Chain(int count)
    {
        var key = JournalChainKey.FromBase64(KeyBase64);
        var previous = JournalChain.Genesis(key, Incident);
        var lines = new List<string>();
        for (var n = 1; n <= count; n++)
        {
            var line = JournalChain.Link(key, n, previous, new JournalEntry($"e{n}", DateTimeOffset.UnixEpoch.AddMinutes(n), Incident, "ResponseFunctions", "1.c", "adele", "apply:applied", $"step {n}"));
            lines.Add(line.Text);
            previous = line.Hash;
        }

        return (lines, new ChainAnchor(count, previous));
    }
}

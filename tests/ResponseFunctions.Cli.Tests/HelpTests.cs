namespace ResponseFunctions.Cli.Tests;

/// <summary>Every subcommand answers --help with its own usage, not an unknown-option error.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("triage", "--help")]
    [InlineData("triage", "-h")]
    [InlineData("drill", "--help")]
    [InlineData("release", "--help")]
    [InlineData("sim", "serve", "--help")]
    [InlineData("baseline", "capture", "--help")]
    [InlineData("setup", "permissions", "--help")]
    [InlineData("bench", "--help")]
    [InlineData("triage", "--sentinel", "x.json", "--help")]
    public async Task Help_AfterASubcommand_PrintsThatCommandsUsageAndExitsZero(params string[] args)
    {
        var (exit, output, error) = await Cli.RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"responsefunctions {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(args[0] is "sim" or "baseline" or "setup" ? 2 : 1))}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown option", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ForTriage_ShowsOnlyTriageUsage()
    {
        var (_, output, _) = await Cli.RunAsync("triage", "--help");

        Assert.Contains("--sentinel", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--state-out", output, StringComparison.Ordinal);
    }
}

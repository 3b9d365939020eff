using ResponseFunctions.Cli.Commands;

namespace ResponseFunctions.Cli.Tests;

/// <summary>Runs the command line as a user would, with no input, and captures what it says.</summary>
internal static class Cli
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, new StringReader(string.Empty), output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}

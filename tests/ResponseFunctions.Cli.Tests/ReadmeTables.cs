namespace ResponseFunctions.Cli.Tests;

/// <summary>The Markdown tables of README.md, found by the heading above them.</summary>
internal static partial class ReadmeTables
{
    /// <summary>The body rows (cells trimmed) of the first table after <paramref name="heading"/>.</summary>
    public static IReadOnlyList<string[]> After(string heading)
    {
        var lines = File.ReadAllLines(Repository.PathOf("README.md"));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"README has no heading '{heading}'");
        return lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2)
            .Select(l => UnescapedPipe().Split(l.Trim().Trim('|')).Select(c => c.Trim()).ToArray())
            .ToList();
    }

    /// <summary>Cells are separated by pipes; "\|" is a pipe inside a cell.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\\)\|")]
    private static partial System.Text.RegularExpressions.Regex UnescapedPipe();
}

using System.Text.RegularExpressions;
using ResponseFunctions.Tests.Shared;

namespace ResponseFunctions.Cli.Tests;

/// <summary>
/// Actions do not reach into the request parser: what an address range may be (BlockableRanges) is policy, shared by
/// the parser, intake and 1.e from <c>Policy/</c>; the parser's own helpers (NormalizeIp...) are for parsing requests.
/// </summary>
public sealed partial class CaseLayeringTests
{
    [Fact]
    public void ActionSources_DoNotUseTheRequestParser()
    {
        var cases = Repository.PathOf("src", "ResponseFunctions.Playbook", "Cases");

        var offending = Directory.GetFiles(cases, "*.cs", SearchOption.AllDirectories)
            .Where(f => RequestParser().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(cases, f))
            .ToList();

        Assert.Empty(offending);
    }

    /// <summary>The parser by name, its namespace imported, or a type of it qualified (<c>Requests.X</c>, not <c>….ScheduleRequests.X</c>).</summary>
    [GeneratedRegex(@"ContainmentRequestParser|using ResponseFunctions\.Playbook\.Requests;|(?<![\w.])Requests\.[A-Z]")]
    private static partial Regex RequestParser();
}

namespace ResponseFunctions.Cli.Tests.Conformance;

/// <summary>
/// Microsoft's published contracts, provided beside the project (../shared/reference from the repository root) and
/// never copied into it: graph-v1.0-metadata.xml (Graph v1.0 CSDL) and exchange-online-cmdlets.json.
/// </summary>
internal static class ReferenceFiles
{
    /// <summary>.ci/run sets it: there the files must be present, and their absence fails the check.</summary>
    public const string RequiredVariable = "RF_CONFORMANCE_REQUIRED";

    public static string? Directory { get; } = Find();

    public static string? GraphCsdl => Path(name: "graph-v1.0-metadata.xml");

    public static string? ExchangeCmdlets => Path(name: "exchange-online-cmdlets.json");

    /// <summary>Null when the file is present; else why the check cannot run, which fails it when CI requires it.</summary>
    public static string? Missing(string? path, string name)
    {
        if (path is not null)
        {
            return null;
        }

        var why = $"{name} is not in ../shared/reference beside the repository";
        return Environment.GetEnvironmentVariable(RequiredVariable) == "1"
            ? throw new InvalidOperationException($"Conformance check cannot run: {why} (CI requires it: .ci/run sets {RequiredVariable}=1).")
            : why;
    }

    private static string? Path(string name) =>
        Directory is { } dir && File.Exists(System.IO.Path.Combine(dir, name)) ? System.IO.Path.Combine(dir, name) : null;

    /// <summary>Another place for the reference folder (e.g. a worktree whose parent has no shared folder).</summary>
    public const string DirectoryVariable = "RF_REFERENCE_DIR";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } overridden)
        {
            return System.IO.Directory.Exists(overridden) ? overridden : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ResponseFunctions.sln")))
            {
                var reference = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "reference"));
                return System.IO.Directory.Exists(reference) ? reference : null;
            }
        }

        return null;
    }
}

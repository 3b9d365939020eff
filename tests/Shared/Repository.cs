namespace ResponseFunctions.Tests.Shared;

/// <summary>The repository the tests run from (README, infra/, azure.yaml, sources): linked into the test projects that read it.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ResponseFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ResponseFunctions.sln above {AppContext.BaseDirectory}.");
    }
}

using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Playbook.Tests.Release;

public sealed class ReleaseCatalogTests
{
    [Fact]
    public void ReleaseCatalog_EveryCatalogAction_HasExactlyOneReleaseLine()
    {
        Assert.Equal(ActionCatalog.All.Select(a => a.Id.Value).Order(StringComparer.Ordinal), ReleaseCatalog.All.Select(r => r.Action.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReleaseCatalog_WhatCannotBeUndone_NamesAFollowUpForAPerson()
    {
        Assert.All(ReleaseCatalog.All.Where(r => !r.Reversible), r => Assert.False(string.IsNullOrWhiteSpace(r.FollowUp), r.Action.Value));
        Assert.Contains("Temporary Access Pass", ReleaseCatalog.Get(ActionId.Parse("1.d")).FollowUp, StringComparison.Ordinal);
    }

    [Fact]
    public void ReleaseCatalog_OnlyReleasesActionsTheCatalogCallsReversible()
    {
        Assert.All(ReleaseCatalog.All.Where(r => r.Reversible), r => Assert.True(ActionCatalog.Get(r.Action).Reversible, r.Action.Value));
    }

    [Fact]
    public void Readme_ReleaseTable_HasOneTrueLinePerAction()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (var release in ReleaseCatalog.All)
        {
            var line = Assert.Single(readme, l => l.StartsWith($"| {release.Action.Value} | ", StringComparison.Ordinal) && l.Contains(release.Meaning, StringComparison.Ordinal));
            if (release.FollowUp is { } followUp)
            {
                Assert.Contains(followUp, line, StringComparison.Ordinal);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ResponseFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No ResponseFunctions.sln above the test binaries.");
    }
}

using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Cli.Tests;

/// <summary>
/// The catalog row is the one declaration of an action (id, priority, destructive/reversible, guard, permissions):
/// everything else that states one of these facts is built from it or must say the same, and any difference fails
/// here. The permission tables and `setup permissions` are held to it by <see cref="PermissionConsistencyTests"/>.
/// </summary>
public sealed partial class CatalogDriftTests
{
    private static readonly string CasesFolder = Repository.PathOf("src", "ResponseFunctions.Playbook", "Cases");

    /// <summary>Actions not on the change runner yet (they still write their own apply and guard prologue): only ever shrinks.</summary>
    private static readonly string[] NotYetOnTheRunner =
        [];

    [Fact]
    public void ReadmeCasesTable_ListsEveryCatalogActionOnceWithItsPriority()
    {
        var rows = ReadmeTables.After("## The five cases");

        var readme = rows.Select(r => (Id: r[1], Priority: r[2])).ToList();

        Assert.Equal(ActionCatalog.All.Select(a => (a.Id.Value, a.Priority.ToString())), readme);
    }

    [Fact]
    public void Manifest_ActionNeeds_AreExactlyTheCatalogRows()
    {
        foreach (var action in ActionCatalog.All)
        {
            var need = PermissionManifest.For(action.Id);
            Assert.Equal(action.Need?.ApplicationPermissions.ToList(), need?.ApplicationPermissions.ToList());
            Assert.Equal(action.Need?.DirectoryRoles, need?.DirectoryRoles);
        }
    }

    [Fact]
    public void EveryAction_HasOneSourceFileNamedByItsSheetId_DeclaringThatId()
    {
        foreach (var action in ActionCatalog.All)
        {
            var files = Directory.GetFiles(CasesFolder, $"{FilePrefix(action.Id)}.*.cs", SearchOption.AllDirectories);
            var file = Assert.Single(files);
            Assert.Contains($"ActionId.Parse(\"{action.Id.Value}\")", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryAction_HasOneTestFileNamedByItsSheetId()
    {
        var tests = Repository.PathOf("tests", "ResponseFunctions.Playbook.Tests", "Cases");
        Assert.All(ActionCatalog.All, action => Assert.Single(Directory.GetFiles(tests, $"{FilePrefix(action.Id)}.*Tests.cs", SearchOption.AllDirectories)));
    }

    [Fact]
    public void ActionSources_NameNoPermissionOutsideTheirCatalogRow()
    {
        var known = PermissionManifest.GraphApplicationPermissions.Append(PermissionManifest.ExchangeManageAsApp).ToHashSet(StringComparer.Ordinal);
        foreach (var action in ActionCatalog.All)
        {
            var file = Directory.GetFiles(CasesFolder, $"{FilePrefix(action.Id)}.*.cs", SearchOption.AllDirectories).Single();
            var granted = action.Need?.ApplicationPermissions.ToHashSet(StringComparer.Ordinal) ?? [];
            var named = PermissionName().Matches(File.ReadAllText(file)).Select(m => m.Value).Where(known.Contains).ToHashSet();
            Assert.True(named.IsSubsetOf(granted),
                $"{Path.GetFileName(file)} names [{string.Join(", ", named.Except(granted))}], which its catalog row does not grant: say it in the catalog, once.");
        }
    }

    [Fact]
    public void Actions_RunOnTheChangeRunner_SaveTheListedOnesNotYetMoved()
    {
        var legacy = typeof(IContainmentAction).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IContainmentAction).IsAssignableFrom(t) && t != typeof(NotBuiltAction))
            .Where(t => !DerivesFromContainmentAction(t))
            .Select(t => SheetIdOf(t))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(NotYetOnTheRunner.Order(StringComparer.Ordinal), legacy);
    }

    private static bool DerivesFromContainmentAction(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ContainmentAction<>))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sheet id of an action class, from the one file that declares it.</summary>
    private static string SheetIdOf(Type type)
    {
        var file = Directory.GetFiles(CasesFolder, "*.cs", SearchOption.AllDirectories)
            .Single(f => Regex.IsMatch(File.ReadAllText(f), $@"\bclass {type.Name}\b"));
        return ActionCatalog.All.Single(a => Path.GetFileName(file).StartsWith(FilePrefix(a.Id) + ".", StringComparison.Ordinal)).Id.Value;
    }

    /// <summary>"1.a" → "1a", "1.risk" → "1risk": how action files and their test files are named.</summary>
    private static string FilePrefix(ActionId id) => id.Value.Replace(".", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"(?<![\w.-])[A-Z][A-Za-z-]*(?:\.[A-Za-z]+)+")]
    private static partial Regex PermissionName();
}

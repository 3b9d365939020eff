using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Cli.Tests;

/// <summary>
/// One list of permissions: PermissionManifest (what `setup permissions` grants), the README's tables (per case and
/// "What the hook grants") and the catalog's Permissions/DirectoryRole columns say the same thing, action by action,
/// and nothing is granted that no action or intake step uses.
/// </summary>
public sealed partial class PermissionConsistencyTests
{
    /// <summary>README rows that are not catalog actions, by table, and the manifest consumer they are.</summary>
    private static readonly Dictionary<string, string> NamedSteps = new(StringComparer.Ordinal)
    {
        ["intake, guard"] = PermissionManifest.IntakeAndGuard,
        ["intake"] = PermissionManifest.ApplicationIntake,
        ["all"] = PermissionManifest.ExchangeAll,
    };

    [Theory]
    [InlineData("## Permissions (Case 1)", 2, 3)]
    [InlineData("## Permissions (Case 2)", 2, 3)]
    [InlineData("## Permissions (Cases 4 and 5)", 3, 3)]
    public void ReadmeCaseTable_SaysWhatTheManifestSays_ActionByAction(string heading, int permissionColumn, int roleColumn)
    {
        var rows = ReadmeTables.After(heading);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var consumer = ActionId.TryParse(row[0], out var id) ? id.Value : NamedSteps[row[0]];
            var need = Need(consumer);
            var cell = WithoutAsides(row[permissionColumn]);
            var permissions = Permissions(cell).ToHashSet(StringComparer.Ordinal);
            if (cell.StartsWith("same", StringComparison.Ordinal))
            {
                permissions.Add(PermissionManifest.ExchangeManageAsApp);
            }

            Assert.True(need.ApplicationPermissions.ToHashSet().SetEquals(permissions),
                $"{heading} row {row[0]}: README says [{string.Join(", ", permissions.Order())}], the manifest [{string.Join(", ", need.ApplicationPermissions.Order())}]");
            var roleCell = row[roleColumn].StartsWith("same", StringComparison.Ordinal) ? PermissionManifest.ExchangeAdministrator.DisplayName : row[roleColumn];
            Assert.Equal(need.DirectoryRoles.Select(r => r.DisplayName).Order(), RolesNamedIn(roleCell).Order());
        }
    }

    [Fact]
    public void ReadmeGrantsTable_IsExactlyTheManifest_WithWhoUsesEachPermission()
    {
        var rows = ReadmeTables.After("### What the hook grants");
        var expected = PermissionManifest.GraphApplicationPermissions.Select(p => ($"`{p}`", "Microsoft Graph application permission", Join(PermissionManifest.ConsumersOf(p))))
            .Append(($"`{PermissionManifest.ExchangeManageAsApp}`", "Office 365 Exchange Online application permission", Join(PermissionManifest.ConsumersOf(PermissionManifest.ExchangeManageAsApp))))
            .Concat(PermissionManifest.DirectoryRoles.Select(r => (r.DisplayName, "Entra directory role", Join(PermissionManifest.Needs.Where(n => n.DirectoryRoles.Contains(r)).Select(n => n.Consumer)))))
            .ToList();

        Assert.Equal(expected, rows.Select(r => (r[0], r[1], r[2])).ToList());
    }

    [Fact]
    public void Catalog_SaysWhatTheManifestSays_ForEveryActionOutsideCase3()
    {
        foreach (var action in ActionCatalog.All)
        {
            // Case 3 acts on Azure resources: Azure RBAC, the custom role of infra/roles, not Entra permissions.
            if (action.Case == CaseId.CompromisedAzureResource)
            {
                Assert.Null(PermissionManifest.For(action.Id));
                continue;
            }

            var need = PermissionManifest.For(action.Id) ?? throw new Xunit.Sdk.XunitException($"{action.Id} has no manifest entry");
            var catalog = Permissions(WithoutAsides(action.Permissions), backticked: false).ToHashSet();
            Assert.True(need.ApplicationPermissions.ToHashSet().SetEquals(catalog),
                $"{action.Id}: catalog [{string.Join(", ", catalog.Order())}], manifest [{string.Join(", ", need.ApplicationPermissions.Order())}]");
            Assert.Equal(need.DirectoryRoles.Select(r => r.DisplayName).Order(), RolesNamedIn(action.DirectoryRole ?? string.Empty).Order());
        }
    }

    [Fact]
    public void Manifest_HasNoConsumerOutsideTheCatalogAndTheNamedSteps_AndEveryGrantIsUsed()
    {
        var named = NamedSteps.Values.Append(PermissionManifest.IdentityProtectionPolling).ToHashSet();
        foreach (var need in PermissionManifest.Needs)
        {
            Assert.True(named.Contains(need.Consumer) || (ActionId.TryParse(need.Consumer, out var id) && ActionCatalog.Contains(id)),
                $"{need.Consumer} is neither a catalog action nor an intake step");
            Assert.True(need.ApplicationPermissions.Any() || need.DirectoryRoles.Count > 0, $"{need.Consumer} needs nothing: drop it");
        }

        Assert.All(PermissionManifest.GraphApplicationPermissions, p => Assert.NotEmpty(PermissionManifest.ConsumersOf(p)));
        Assert.Equal(PermissionManifest.GraphApplicationPermissions.Count, PermissionManifest.GraphApplicationPermissions.Distinct().Count());
    }

    private static PermissionNeed Need(string consumer) =>
        PermissionManifest.Needs.SingleOrDefault(n => n.Consumer == consumer) ?? throw new Xunit.Sdk.XunitException($"No manifest entry for {consumer}");

    private static string Join(IEnumerable<string> consumers) => string.Join(", ", consumers);

    /// <summary>Roles are recognised by their display names (the only ones the manifest knows).</summary>
    private static IEnumerable<string> RolesNamedIn(string text) =>
        PermissionManifest.DirectoryRoles.Select(r => r.DisplayName).Where(name => text.Contains(name, StringComparison.Ordinal));

    /// <summary>Parenthesised asides name alternatives or caveats ("Application.ReadWrite.OwnedBy if the playbook owns the apps"), not grants.</summary>
    private static string WithoutAsides(string text) => Aside().Replace(text, string.Empty).Trim();

    private static IEnumerable<string> Permissions(string text, bool backticked = true) =>
        (backticked ? Backticked() : Bare()).Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Aside();

    [GeneratedRegex(@"`([A-Za-z][A-Za-z-]*(?:\.[A-Za-z]+)+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"(?<![\w.-])([A-Z][A-Za-z-]*(?:\.[A-Za-z]+)+)")]
    private static partial Regex Bare();
}

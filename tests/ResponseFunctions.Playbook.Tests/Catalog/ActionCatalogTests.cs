using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Tests.Catalog;

public sealed class ActionCatalogTests
{
    [Fact]
    public void SheetActions_AreTheTwentyFourOfTheSheetWithTheirPriorityTablePriorities()
    {
        var expected = new Dictionary<string, Priority>
        {
            ["1.a"] = Priority.P0, ["1.b"] = Priority.P0, ["1.c"] = Priority.P0, ["1.d"] = Priority.P0, ["1.e"] = Priority.P1, ["1.f"] = Priority.P1,
            ["2.a"] = Priority.P0, ["2.b"] = Priority.P0, ["2.c"] = Priority.P0, ["2.d"] = Priority.P0, ["2.e"] = Priority.P0, ["2.f"] = Priority.P1, ["2.g"] = Priority.P1,
            ["3.a"] = Priority.P0, ["3.b"] = Priority.P0,
            ["4.a"] = Priority.P0, ["4.b"] = Priority.P0, ["4.c"] = Priority.P1,
            ["5.a"] = Priority.P0, ["5.b"] = Priority.P0, ["5.c"] = Priority.P0, ["5.d"] = Priority.P0, ["5.e"] = Priority.P0, ["5.f"] = Priority.P0,
        };

        var actual = ActionCatalog.SheetActions.ToDictionary(a => a.Id.Value, a => a.Priority);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SheetActions_CaseMatchesTheIdsCaseNumber()
    {
        Assert.All(ActionCatalog.All, a => Assert.Equal(a.Id.CaseNumber, (int)a.Case));
    }

    [Theory]
    [InlineData(CaseId.CompromisedAccount, "1.a,1.b,1.c,1.d,1.e,1.f,1.risk")]
    [InlineData(CaseId.CompromisedAppIdentity, "2.a,2.b,2.c,2.d,2.e,2.f,2.g")]
    [InlineData(CaseId.SpamRelay, "4.a,4.b,4.c")]
    public void ForCase_ListsP0BeforeP1InTableOrder(CaseId caseId, string expected)
    {
        Assert.Equal(expected, string.Join(',', ActionCatalog.ForCase(caseId).Select(a => a.Id.Value)));
    }

    [Fact]
    public void SpamRelay_FollowsThePriorityTableWhereTheDetailedSectionsDisagree()
    {
        Assert.Contains("anti-spoofing", ActionCatalog.Get(ActionId.Parse("4.b")).Title, StringComparison.Ordinal);
        Assert.Contains("Strengthen", ActionCatalog.Get(ActionId.Parse("4.c")).Title, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAction_NamesThePermissionItNeeds()
    {
        Assert.All(ActionCatalog.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Permissions)));
    }

    [Theory]
    [InlineData("1.a", true)]
    [InlineData("5.F", true)]
    [InlineData("1.risk", true)]
    [InlineData("6.a", false)]
    [InlineData("1a", false)]
    [InlineData("1.", false)]
    [InlineData("", false)]
    public void ActionId_TryParse_AcceptsOnlySheetIds(string value, bool valid)
    {
        Assert.Equal(valid, ActionId.TryParse(value, out _));
    }
}

using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Teams;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>A grouped request's card: counts and the first few targets, small whatever the wave's size.</summary>
public sealed class GroupedApprovalCardTests
{
    [Fact]
    public void Request_GroupedRequestOfFiftyTargets_ShowsTheCountAndTheFirstFiveAndStaysFarUnderTeamsLimit()
    {
        var request = Grouped(50);

        var card = ApprovalCards.Request(request, [], new Uri("https://rf.example.net/api/containments/c/approve?token=t"));
        var json = card.ToJsonString();

        Assert.Contains("50 targets", json, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 5), i => Assert.Contains(Upn(i), json, StringComparison.Ordinal));
        Assert.DoesNotContain(Upn(5), json, StringComparison.Ordinal);
        Assert.Contains("and 45 more", json, StringComparison.Ordinal);
        Assert.True(CardSizeCap.SizeOf(card) < 24 * 1024, $"{CardSizeCap.SizeOf(card)} bytes");
    }

    [Fact]
    public void RequiredFor_GroupedRequest_EachTargetsOwnCountOfApprovers()
    {
        var request = Grouped(3) with { RequiredApprovals = 2 };
        request = request with { Targets = [request.Targets[0] with { RequiredApprovals = 2 }, .. request.Targets.Skip(1)] };

        Assert.Equal(2, request.RequiredFor(request.Targets[0].StepIndex));
        Assert.Equal(1, request.RequiredFor(request.Targets[1].StepIndex));
        Assert.True(request.IsGrouped);
    }

    internal static ApprovalRequest Grouped(int targets)
    {
        var action = ActionId.Parse("1.c");
        var list = Enumerable.Range(0, targets).Select(i => new ApprovalTarget(
            i + 1, new ActionTarget(TargetKind.User, $"00000000-0000-4000-8000-{i:D12}", Upn(i)), $"Disable {Upn(i)}.",
            [new DisableAccountChange($"00000000-0000-4000-8000-{i:D12}", "accountEnabled: true → false")], [], 1)).ToList();
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        return new ApprovalRequest("01-1c", "containment-inc-1", "INC-1", 1, action, "Disable the account", list[0].Target,
            $"{targets} targets", list[0].Changes, [], [], true, now, now.AddMinutes(30))
        {
            Targets = list,
        };
    }

    private static string Upn(int i) => $"victim{i:D3}@contoso.onmicrosoft.com";
}

using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

public sealed class StepSequenceTests
{
    private static readonly ActionTarget Adele = new(TargetKind.User, "a", "adele");
    private static readonly ActionTarget Lee = new(TargetKind.User, "l", "lee");

    [Fact]
    public void For_TwoUsers_EveryP0ForEveryUserBeforeAnyP1_TenantActionOnce()
    {
        var scope = new IncidentScope("INC", "r", DateTimeOffset.UtcNow, [Adele, Lee], ["185.220.101.45/32"], []);

        var steps = StepSequence.For("i", [CaseId.CompromisedAccount], scope);

        Assert.Equal(
            ["1.a adele", "1.a lee", "1.b adele", "1.b lee", "1.c adele", "1.c lee", "1.d adele", "1.d lee", "1.e tenant", "1.f adele", "1.f lee", "1.risk adele", "1.risk lee"],
            steps.Select(s => $"{s.Action} {s.Target.Name}"));
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Index));
    }

    [Fact]
    public void For_SeveralCases_CaseByCaseInSheetOrder()
    {
        var scope = new IncidentScope("INC", "r", DateTimeOffset.UtcNow, [Adele], [], []);

        var steps = StepSequence.For("i", [CaseId.SpamRelay, CaseId.CompromisedAccount], scope);

        Assert.Equal("1.a", steps[0].Action.Value);
        Assert.Equal(["4.a", "4.b", "4.c"], steps.Where(s => s.Action.CaseNumber == 4).Select(s => s.Action.Value));
        Assert.True(steps.Last(s => s.Action.CaseNumber == 1).Index < steps.First(s => s.Action.CaseNumber == 4).Index);
    }
}

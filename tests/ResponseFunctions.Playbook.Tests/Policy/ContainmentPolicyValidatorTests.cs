using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Policy;

public sealed class ContainmentPolicyValidatorTests
{
    [Fact]
    public void Problems_DefaultPolicy_None()
    {
        Assert.Empty(ContainmentPolicyValidator.Problems(new ContainmentPolicy()));
        Assert.Empty(ContainmentPolicyValidator.Problems(Contoso.Policy()));
    }

    [Fact]
    public void Defaults_AreTheSafeOnes()
    {
        var policy = new ContainmentPolicy();

        Assert.Equal(TimeSpan.FromMinutes(30), policy.ApprovalTimeout);
        Assert.Empty(policy.PreApprovedActions);
        Assert.False(policy.ConditionalAccess.Enforce);
        Assert.Equal(PasswordDelivery.Discard, policy.PasswordDelivery);
    }

    [Fact]
    public void Problems_EnforcedBlockWithoutBreakGlass_Refused()
    {
        var policy = new ContainmentPolicy { ConditionalAccess = { Enforce = true } };

        Assert.Contains(ContainmentPolicyValidator.Problems(policy), p => p.Contains("ProtectedPrincipals", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_EveryMistake_Named()
    {
        var policy = new ContainmentPolicy
        {
            ApprovalTimeout = TimeSpan.FromSeconds(5),
            PreApprovedActions = ["1.a", "9.z"],
            ProtectedPrincipals = ["breakglass@contoso.com"],
            PlaybookIdentityObjectId = "me",
            RoleBaseline = [new() { RoleDefinitionId = "Global Administrator", Principals = ["x"] }],
        };

        var problems = ContainmentPolicyValidator.Problems(policy);

        Assert.Contains(problems, p => p.StartsWith("ApprovalTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'9.z'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'breakglass@contoso.com'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PlaybookIdentityObjectId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Global Administrator' is not a role definition id", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("'1.a'", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_BadCase3Settings_EachNamed()
    {
        var policy = new ContainmentPolicy
        {
            Resources = { ForensicSourceRanges = ["45.155.205.10/32", "jump-host"], AlertWorkspaceId = "law-soc", AlertRecheckDelay = TimeSpan.FromMinutes(-1), GeneratedSecrets = ["kv-only"] },
        };

        var problems = ContainmentPolicyValidator.Problems(policy);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Resources.ForensicSourceRanges[1]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Resources.AlertWorkspaceId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Resources.AlertRecheckDelay", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Resources.GeneratedSecrets", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_TwoPersonActionAlsoPreApprovedOrAppliedOnTimeout_Refused()
    {
        var policy = new ContainmentPolicy
        {
            TwoPersonActions = ["1.e", "2g"],
            PreApprovedActions = ["1.e"],
            TimeoutPolicy = { ["2.g"] = new TimeoutRule { OnTimeout = Playbook.Approval.TimeoutAction.Apply, Severities = [Playbook.Requests.IncidentSeverity.High] } },
        };

        var problems = ContainmentPolicyValidator.Problems(policy);

        Assert.Contains(problems, p => p.StartsWith("PreApprovedActions: '1.e' needs two approvers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TimeoutPolicy[2.g]: '2.g' needs two approvers", StringComparison.Ordinal));
    }
}

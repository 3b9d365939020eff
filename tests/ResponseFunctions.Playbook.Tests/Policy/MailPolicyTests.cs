using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Tests.Policy;

public sealed class MailPolicyTests
{
    [Fact]
    public void Validate_DefaultMailSection_IsValid() => Assert.Empty(ContainmentPolicyValidator.Problems(new ContainmentPolicy()));

    [Fact]
    public void Validate_BadMailSettings_NamesEveryProblem()
    {
        var policy = new ContainmentPolicy();
        policy.Mail.BlockedAttachmentExtensions.Add(".exe;rm");
        policy.Mail.AtRiskUsers.Add("not an address");
        policy.Mail.DelegationBaseline.Add(new DelegationBaselineEntry { Mailbox = "a@contoso.com", Trustee = "b@contoso.com", Rights = ["ReadOnly"] });
        policy.Mail.OutboundSpam.RecipientLimitPerDay = 0;
        policy.Mail.IncidentLookback = TimeSpan.FromMinutes(5);

        var problems = ContainmentPolicyValidator.Problems(policy);

        Assert.Contains(problems, p => p.Contains("'.exe;rm' is not a file extension", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Mail.AtRiskUsers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'ReadOnly' is not one of", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("RecipientLimitPerDay must be from 1 to 10000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("IncidentLookback", StringComparison.Ordinal));
    }
}

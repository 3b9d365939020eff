using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Tests.Policy;

public sealed class ApplicationBaselineValidationTests
{
    [Fact]
    public void Problems_BadApplicationBaselineAndConsentSettings_NamesEach()
    {
        var policy = new ContainmentPolicy
        {
            ApplicationBaselines =
            [
                new() { AppId = "payroll", Owners = ["diego"], ScopedRoles = [new() { RoleDefinitionId = "admin", Principals = [] }] },
                new() { AppId = "payroll" },
            ],
            Consent = new ConsentHardening { Reviewers = ["megan"], RequestDurationInDays = 90, UserConsentPolicy = "" },
        };

        var problems = ContainmentPolicyValidator.Problems(policy);

        Assert.Contains(problems, p => p.Contains("AppId 'payroll'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Owners: 'diego'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ScopedRoles: 'admin'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("more than once", StringComparison.Ordinal) && p.StartsWith("ApplicationBaselines", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Consent.Reviewers: 'megan'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("RequestDurationInDays", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("UserConsentPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_TheDrillsCase2Settings_None()
    {
        var policy = new ContainmentPolicy();
        Support.ContosoApps.Configure(policy);

        Assert.Empty(ContainmentPolicyValidator.Problems(policy));
    }
}

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class PasswordSprayScenarioTests
{
    [Fact]
    public async Task Build_25Accounts_EachWithAnAttackerAuthenticatorAndOneInTenWithARole()
    {
        await using var original = await SimulatedTenant.StartInProcessAsync("compromised-account");
        var baseUsers = original.State.Read(m => m.Users.Count);

        await using var tenant = await SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(25));

        var sprayed = tenant.State.Read(m => m.Users.Where(u => u.UserPrincipalName.StartsWith("spray.victim", StringComparison.Ordinal)).ToList());
        Assert.Equal(baseUsers + 25, tenant.State.Read(m => m.Users.Count));
        Assert.Equal(25, sprayed.Select(u => u.Id).Distinct().Count());
        Assert.All(sprayed, u => Assert.Contains(u.AuthenticationMethods, m => m.DisplayName == "SM-A515F"));
        Assert.Equal(PasswordSprayScenario.WithRoles(25), tenant.State.Read(m => m.RoleAssignments.Count(a => sprayed.Any(u => u.Id == a.PrincipalId))));
        Assert.NotNull(tenant.State.Read(m => m.FindUser(PasswordSprayScenario.UserPrincipalName(24))));
    }
}

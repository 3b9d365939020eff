using System.Globalization;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// "password-spray": the compromised-account tenant plus <c>N</c> sprayed accounts, generated in code for any N. Each
/// has a password, a legitimate phone, an authenticator the attacker registered and live sessions; every tenth was
/// granted Privileged Role Administrator by the attacker (outside the drill's role baseline). Ids are deterministic.
/// </summary>
public static class PasswordSprayScenario
{
    public const string Name = "password-spray";

    /// <summary>Privileged Role Administrator's built-in role definition id (present in the base scenario).</summary>
    private const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";

    private static readonly DateTimeOffset SprayedAt = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public static string UserPrincipalName(int index, string domain = "contoso.onmicrosoft.com") =>
        $"spray.victim{index.ToString("D5", CultureInfo.InvariantCulture)}@{domain}";

    /// <summary>How many of <paramref name="users"/> sprayed accounts hold an illegitimate role.</summary>
    public static int WithRoles(int users) => (users + 9) / 10;

    public static TenantModel Build(int users)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(users, 99_999);
        var model = ScenarioLoader.Load("compromised-account");
        model.Description = $"Password spray: {users} compromised accounts.";
        for (var i = 0; i < users; i++)
        {
            var id = Id(0x1, i);
            model.Users.Add(new SimUser
            {
                Id = id,
                DisplayName = $"Spray Victim {i}",
                UserPrincipalName = UserPrincipalName(i, model.Domain),
                Mail = UserPrincipalName(i, model.Domain),
                SignInSessionsValidFromDateTime = SprayedAt.AddDays(-200),
                LastPasswordChangeDateTime = SprayedAt.AddDays(-90),
                DefaultAuthenticationMethodId = Id(0x2, i),
                AuthenticationMethods =
                [
                    // Graph's password method has one well-known id for every user.
                    new SimAuthenticationMethod { Id = "28c10230-6103-485e-b985-444c60001490", Type = AuthenticationMethodKind.Password, CreatedDateTime = SprayedAt.AddDays(-90) },
                    new SimAuthenticationMethod { Id = Id(0x2, i), Type = AuthenticationMethodKind.Phone, PhoneNumber = $"+33 6 00 {i / 100 % 100:D2} {i % 100:D2} 00", PhoneType = "mobile" },
                    new SimAuthenticationMethod
                    {
                        Id = Id(0x3, i), Type = AuthenticationMethodKind.MicrosoftAuthenticator, DisplayName = "SM-A515F",
                        DeviceTag = "SoftwareTokenActivated", CreatedDateTime = SprayedAt.AddMinutes(10 + (i % 50)),
                    },
                ],
            });

            if (i % 10 == 0)
            {
                model.RoleAssignments.Add(new SimRoleAssignment { Id = Id(0x4, i), PrincipalId = id, RoleDefinitionId = PrivilegedRoleAdministrator });
            }
        }

        return model;
    }

    private static string Id(int kind, int index) =>
        $"5a7a{kind:x4}-0000-4000-8000-{index.ToString("x12", CultureInfo.InvariantCulture)}";
}

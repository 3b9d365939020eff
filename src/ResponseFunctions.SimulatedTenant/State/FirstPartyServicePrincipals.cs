using System.Security.Cryptography;
using System.Text;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Every Entra tenant holds the service principals of Microsoft's own APIs: Microsoft Graph
/// (00000003-0000-0000-c000-000000000000) and Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000),
/// with the application permissions they expose as app roles. A scenario that does not list them gets them here;
/// one that does keeps its own and gains the roles it lacks.
/// </summary>
/// <remarks>
/// Clients find a permission's app role id by its value on the resource service principal (what "Grant an
/// appRoleAssignment to a service principal" tells to do), never by a constant: so the Graph role ids below are
/// derived from the value here rather than claimed to be Microsoft's. Exchange.ManageAsApp's id is Microsoft's, as
/// "App-only authentication for unattended scripts in Exchange Online PowerShell" shows it in the manifest.
/// </remarks>
internal static class FirstPartyServicePrincipals
{
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string ExchangeAppId = "00000002-0000-0ff1-ce00-000000000000";
    private const string MicrosoftTenantId = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

    /// <summary>The Graph application permissions the simulated Graph exposes (a subset of the real ~400).</summary>
    private static readonly string[] GraphApplicationPermissions =
    [
        "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All",
        "AuditLog.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All",
        "Files.Read.All", "Group.Read.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "IdentityRiskEvent.Read.All",
        "IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All", "Mail.Read", "Mail.Send", "MailboxSettings.ReadWrite",
        "Policy.Read.All", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.ConsentRequest",
        "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory",
        "User-PasswordProfile.ReadWrite.All", "User.EnableDisableAccount.All", "User.Read.All", "User.ReadWrite.All",
        "User.RevokeSessions.All", "UserAuthenticationMethod.ReadWrite.All",
    ];

    public static void EnsurePresent(TenantModel model)
    {
        var graph = Ensure(model, GraphAppId, "Microsoft Graph", "c0ffee00-0000-4000-8000-000000000001");
        foreach (var permission in GraphApplicationPermissions.Where(p => !graph.AppRoles.Any(r => r.Value == p)))
        {
            graph.AppRoles.Add(new SimAppRole { Id = DerivedId(permission).ToString(), Value = permission, DisplayName = permission });
        }

        var exchange = Ensure(model, ExchangeAppId, "Office 365 Exchange Online", "c0ffee00-0000-4000-8000-000000000002");
        if (!exchange.AppRoles.Any(r => r.Value == "Exchange.ManageAsApp"))
        {
            exchange.AppRoles.Add(new SimAppRole { Id = "dc50a0fb-09a3-484d-be87-e023b12c6440", Value = "Exchange.ManageAsApp", DisplayName = "Manage Exchange As Application" });
        }
    }

    private static SimServicePrincipal Ensure(TenantModel model, string appId, string displayName, string objectId)
    {
        if (model.ServicePrincipals.FirstOrDefault(s => string.Equals(s.AppId, appId, StringComparison.OrdinalIgnoreCase)) is { } existing)
        {
            return existing;
        }

        var created = new SimServicePrincipal
        {
            Id = objectId,
            AppId = appId,
            DisplayName = displayName,
            AppOwnerOrganizationId = MicrosoftTenantId,
            VerifiedPublisher = "Microsoft",
            SignInAudience = "AzureADMultipleOrgs",
        };
        model.ServicePrincipals.Add(created);
        return created;
    }

    private static Guid DerivedId(string value) => new(SHA256.HashData(Encoding.UTF8.GetBytes("graph-app-role:" + value)).AsSpan(0, 16));
}

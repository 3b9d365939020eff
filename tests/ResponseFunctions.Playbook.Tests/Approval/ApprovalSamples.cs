using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Tests.Approval;

internal static class ApprovalSamples
{
    public const string Instance = "containment-inc-7";
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public static IOptions<ApprovalOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new ApprovalOptions
    {
        SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("test-signing-key-of-at-least-32-bytes!!")),
        PageBaseUrl = new Uri("https://rf.example.net"),
    });

    public static ActionTarget Adele { get; } = new(TargetKind.User, "8a1f0c2e-2b6d-4a83-9f3b-1d3c5e7f9a01", "adele@contoso.onmicrosoft.com");

    public static ApprovalRequest Request(string requestId = "03-1c", string action = "1.c", int step = 3) =>
        new(requestId, Instance, "INC-7", step, ActionId.Parse(action), "Disable the account", Adele, "Disable adele@contoso.onmicrosoft.com.",
            [new ResponseFunctions.Playbook.Cases.CompromisedAccount.DisableAccountChange(Adele.Id, "Set accountEnabled=false on adele@contoso.onmicrosoft.com")],
            [new Evidence("Account enabled", "True"), new Evidence("Risky sign-in", "185.220.101.4 (TOR) at 2026-03-14 07:12")],
            ["The user keeps access tokens until they expire."], true, Now, Now.AddMinutes(30))
        {
            Severity = IncidentSeverity.High,
        };

    /// <summary>The X-MS-CLIENT-PRINCIPAL header App Service Authentication would set for this user.</summary>
    public static string PrincipalHeader(string objectId, string upn, params string[] roles) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            claims = new[]
            {
                new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
                new { typ = "preferred_username", val = upn },
            }.Concat(roles.Select(r => new { typ = "roles", val = r })),
            name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        }));

    public static ClientPrincipal Approver(string objectId = "11111111-1111-1111-1111-111111111111", string upn = "bob@contoso.com") =>
        ClientPrincipal.FromHeaders(PrincipalHeader(objectId, upn, ApprovalOptions.ApproverRole), null, upn)!;
}

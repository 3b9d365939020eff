using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release;

/// <summary>
/// Release of 1.f and 2.d in the real Durable Task engine (in-process): each removed role is re-granted as it was held,
/// one step per grant, and only after two distinct signed-in people approved it.
/// </summary>
public sealed class RoleRegrantTests
{
    private const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    private const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    private const string SecurityAdminGroup = "4b8d2f6a-3c1e-4a7b-9d5f-6e2c8a1b3d40";

    private static readonly ReleaseSelection Roles = new(false, [new ReleaseItem(ActionId.Parse("1.f"))]);

    [Fact]
    public async Task Regrant_OneApproval_NothingGranted_JournaledAwaitingASecondApprover()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;
        var approvals = new PerRequestApprovals("bob@contoso.com");

        var released = await ReleaseAsync(harness, contained, Roles, approvals);

        Assert.Equal(3, released.Steps.Count);
        Assert.All(released.Steps, s => Assert.Equal((ApprovalOutcome.TimedOut, (ApplyOutcome?)null), (s.Approval!.Value, s.Apply)));
        Assert.All(approvals.Asked, a => Assert.Equal(2, a.RequiredApprovals));
        Assert.Equal(writesBefore, harness.Writes().Count);
        Assert.False(HoldsActive(harness, PrivilegedRoleAdministrator));
        var awaiting = Entries(harness, released).Where(e => e.Outcome == ApprovalFollowUps.AwaitingSecondApprover).ToList();
        Assert.Equal(3, awaiting.Count);
        Assert.All(awaiting, e => Assert.Equal("bob@contoso.com", e.Actor));
        Assert.All(Entries(harness, released).Where(e => e.Outcome == "approval:timed-out"), e => Assert.Contains("Only 1 of 2", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Regrant_TwoDistinctApprovers_EachRoleGrantedAsItWasHeld_AndVerified()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, Roles, new PerRequestApprovals("bob@contoso.com", "carol@contoso.com"));

        Assert.All(released.Steps, s => Assert.Equal((ApprovalOutcome.Approved, ApplyOutcome.Applied, VerifyOutcome.Verified), (s.Approval!.Value, s.Apply!.Value, s.Verify!.Value)));
        Assert.All(released.Steps, s => Assert.Equal("bob@contoso.com + carol@contoso.com", s.DecidedBy));
        Assert.True(HoldsActive(harness, PrivilegedRoleAdministrator));
        Assert.True(harness.Tenant.State.Read(m => m.RoleEligibilitySchedules.Any(s => s.PrincipalId == Contoso.Adele && s.RoleDefinitionId == GlobalAdministrator && s.DirectoryScopeId == "/")));
        Assert.Contains(Contoso.Adele, harness.Tenant.State.Read(m => m.FindGroup(SecurityAdminGroup)!.Members.ToList()));
        Assert.Equal(
            ["POST /v1.0/roleManagement/directory/roleAssignments", "POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests", $"POST /v1.0/groups/{SecurityAdminGroup}/members/$ref"],
            harness.Writes().Skip(writesBefore).Select(w => $"{w.Method} {w.PathAndQuery}"));
        var applies = Entries(harness, released).Where(e => e.Outcome == "apply:applied").ToList();
        Assert.All(applies, a => Assert.Equal($"{contained.InstanceId}/06/apply", a.Data!.Value.GetProperty("originalEntryId").GetString()));
        Assert.Equal(["remove-role-assignment:ra-adele-pra", "remove-role-eligibility:es-adele-ga", $"remove-group-membership:{SecurityAdminGroup}"],
            applies.Select(a => a.Data!.Value.GetProperty("item").GetString()));
    }

    [Fact]
    public async Task Regrant_SamePersonTwice_Refused_NothingGranted()
    {
        // Long enough for the first step to read both of bob's approvals even on a loaded machine (the steps then time out).
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ApprovalTimeout = TimeSpan.FromSeconds(8));
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, Roles, new PerRequestApprovals("bob@contoso.com", "bob@contoso.com"));

        Assert.All(released.Steps, s => Assert.Equal(ApprovalOutcome.TimedOut, s.Approval));
        Assert.Equal(writesBefore, harness.Writes().Count);
        Assert.False(harness.Tenant.State.Read(m => m.RoleEligibilitySchedules.Any(s => s.PrincipalId == Contoso.Adele && s.RoleDefinitionId == GlobalAdministrator)));
        // The steps share one deadline: the first step reads bob twice; the others may reach the deadline after bob's first.
        var refused = Entries(harness, released).Where(e => e.Outcome == "approval:not-counted").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Contains("bob@contoso.com already approved this step", e.Detail, StringComparison.Ordinal));
        Assert.Contains(Entries(harness, released), e => e.Id == $"{released.InstanceId}/01/decision-refused-01");
    }

    [Fact]
    public async Task Regrant_ApprovalFromAFunctionKey_DoesNotCountAsASecondPerson()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, Roles, new PerRequestApprovals("bob@contoso.com", ApprovalDecision.FunctionKeyIdentity));

        Assert.All(released.Steps, s => Assert.Equal(ApprovalOutcome.TimedOut, s.Approval));
        Assert.Equal(writesBefore, harness.Writes().Count);
    }

    [Fact]
    public async Task Regrant_RoleHeldAgainSinceTheContainment_IsLeftAsItIs()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var graph = harness.Services.GetRequiredService<GraphServiceClient>();
        await graph.RoleManagement.Directory.RoleAssignments.PostAsync(new UnifiedRoleAssignment { PrincipalId = Contoso.Adele, RoleDefinitionId = PrivilegedRoleAdministrator, DirectoryScopeId = "/" });

        var released = await ReleaseAsync(harness, contained, Roles, new PerRequestApprovals("bob@contoso.com", "carol@contoso.com"));

        var again = Assert.Single(released.Steps, s => s.Plan == PlanStatus.NothingToDo);
        Assert.Null(again.Approval);
        Assert.Single(harness.Tenant.State.Read(m => m.RoleAssignments.Where(a => a.PrincipalId == Contoso.Adele && a.RoleDefinitionId == PrivilegedRoleAdministrator).ToList()));
        Assert.Contains(again.Warnings!, w => w.StartsWith("Changed since the containment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseAll_DoesNotRegrantRoles_ListsThemToBeNamed()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var approvals = new PerRequestApprovals("bob@contoso.com", "carol@contoso.com");

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, approvals);

        Assert.DoesNotContain(released.Steps, s => s.Action.Value == "1.f");
        Assert.Equal("when-named", Assert.Single(released.NotUndone, n => n.Action.Value == "1.f").Kind);
        Assert.False(HoldsActive(harness, PrivilegedRoleAdministrator));
    }

    [Fact]
    public async Task Regrant_ApplicationRoles2d_TwoDistinctApprovers_EachRoleBackAtItsScope()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var before = Held(harness, ContosoApps.PayrollSp);
        var contained = await harness.RunAsync(ContosoApps.Request(ContosoApps.PayrollAppId), ApprovalVerdict.Approve);
        var removed = before.Except(Held(harness, ContosoApps.PayrollSp)).ToList();
        Assert.NotEmpty(removed);

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("2.d"))]),
            new PerRequestApprovals("bob@contoso.com", "carol@contoso.com"));

        Assert.Equal(removed.Count, released.Steps.Count);
        Assert.All(released.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        Assert.Empty(removed.Except(Held(harness, ContosoApps.PayrollSp)));
    }

    private static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, ReleaseSelection selection, IApprovalChannel approvals)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId, selection, "false positive", "tester@contoso.onmicrosoft.com"));
    }

    private static List<ResponseFunctions.Playbook.Journal.JournalEntry> Entries(PlaybookHarness harness, ReleaseReport released) =>
        [.. harness.Journal.Entries.Where(e => e.Id.StartsWith(released.InstanceId + "/", StringComparison.Ordinal))];

    private static bool HoldsActive(PlaybookHarness harness, string role) =>
        harness.Tenant.State.Read(m => m.RoleAssignments.Any(a => a.PrincipalId == Contoso.Adele && a.RoleDefinitionId == role && a.DirectoryScopeId == "/"));

    /// <summary>(kind, role, scope) of every directory role the principal holds, active or eligible.</summary>
    private static List<string> Held(PlaybookHarness harness, string principal) => harness.Tenant.State.Read(m =>
        m.RoleAssignments.Where(a => a.PrincipalId == principal).Select(a => $"active {a.RoleDefinitionId} {a.DirectoryScopeId}")
            .Concat(m.RoleEligibilitySchedules.Where(s => s.PrincipalId == principal).Select(s => $"eligible {s.RoleDefinitionId} {s.DirectoryScopeId}")).ToList());

    /// <summary>Every request gets the same approvers, in order, each signed in (object id "oid-…"); a function key names nobody.</summary>
    private sealed class PerRequestApprovals(params string[] approvers) : IApprovalChannel
    {
        private readonly Dictionary<string, int> _answered = [];

        public List<ApprovalRequest> Asked { get; } = [];

        public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var key = request.InstanceId + "/" + request.RequestId;
            var next = _answered.GetValueOrDefault(key);
            if (next == 0)
            {
                Asked.Add(request);
            }

            _answered[key] = next + 1;
            return Task.FromResult(next < approvers.Length
                ? new ApprovalDecision(request.RequestId, ApprovalVerdict.Approve, approvers[next], DateTimeOffset.UtcNow, null)
                {
                    DecidedById = approvers[next] == ApprovalDecision.FunctionKeyIdentity ? approvers[next] : "oid-" + approvers[next],
                }
                : null);
        }
    }
}

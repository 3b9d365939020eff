using System.Net;
using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Journal;
using static ResponseFunctions.Playbook.Tests.Approval.ApprovalSamples;

namespace ResponseFunctions.Playbook.Tests.Approval;

public sealed partial class ApprovalPageTests
{
    private readonly ManualClock _clock = new(Now);
    private readonly InMemoryJournal _journal = new();
    private readonly InMemoryTokenLedger _ledger = new();
    private readonly ApprovalTokens _tokens;
    private readonly ApprovalPage _page;
    private readonly ApprovalRequest _request = Request();

    public ApprovalPageTests()
    {
        _tokens = new ApprovalTokens(Options, _clock);
        _page = new ApprovalPage(_tokens, new CsrfTokens(Options, _clock), _ledger, _journal, _clock);
    }

    [Fact]
    public void Show_ValidLinkAndApprover_ListsThePendingStepWithAFormBoundToTheLink()
    {
        var token = _tokens.Issue(Instance, ["03-1c"], _request.Deadline);

        var result = _page.Show(Instance, token, Approver(), [_request, Request("04-1d", "1.d", 4)]);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("Set accountEnabled=false on adele@contoso.onmicrosoft.com", result.Html, StringComparison.Ordinal);
        Assert.Contains("decision:03-1c", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("decision:04-1d", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ValidForm_ReturnsTheDecisionWithApproverIdentityAndJournalsIt()
    {
        var (token, csrf) = Open(Approver());

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, "approve", "Confirmed with the user."), Approver(), [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var decision = Assert.Single(result.Decisions);
        Assert.Equal(new ApprovalDecision("03-1c", ApprovalVerdict.Approve, "bob@contoso.com", Now, "Confirmed with the user.")
        {
            DecidedById = "11111111-1111-1111-1111-111111111111",
        }, decision);
        var entry = Assert.Single(_journal.Entries);
        Assert.Equal("bob@contoso.com", entry.Actor);
        Assert.Equal(Now, entry.At);
        Assert.Equal("approval:submitted-approve", entry.Outcome);
        Assert.Contains("11111111-1111-1111-1111-111111111111", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_TamperedToken_Forbidden()
    {
        var (token, csrf) = Open(Approver());
        var tampered = _tokens.Issue(Instance, ["03-1c", "05-1e"], _request.Deadline).Split('.')[0] + "." + token.Split('.')[1];

        var result = await _page.SubmitAsync(Instance, Form(tampered, csrf, "approve"), Approver(), [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Empty(result.Decisions);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public async Task Submit_ExpiredToken_Gone()
    {
        var (token, csrf) = Open(Approver());
        _clock.Advance(TimeSpan.FromMinutes(31));

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, "approve"), Approver(), [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Gone, result.Status);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public async Task Submit_ReplayedToken_ConflictAndNoSecondDecision()
    {
        var (token, csrf) = Open(Approver());
        await _page.SubmitAsync(Instance, Form(token, csrf, "approve"), Approver(), [_request], CancellationToken.None);

        var replay = await _page.SubmitAsync(Instance, Form(token, csrf, "reject"), Approver(), [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Conflict, replay.Status);
        Assert.Empty(replay.Decisions);
        Assert.Single(_journal.Entries);
    }

    [Fact]
    public async Task Submit_TokenOfAnotherInstance_Forbidden()
    {
        var (token, csrf) = Open(Approver());

        var result = await _page.SubmitAsync("containment-inc-8", Form(token, csrf, "approve"), Approver(), [_request with { InstanceId = "containment-inc-8" }], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public async Task Submit_DecisionOnARequestOutsideTheToken_Forbidden()
    {
        var (token, csrf) = Open(Approver());
        var other = Request("04-1d", "1.d", 4);
        var form = new Dictionary<string, string>(Form(token, csrf, "approve")) { ["decision:04-1d"] = "approve" };

        var result = await _page.SubmitAsync(Instance, form, Approver(), [_request, other], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public async Task Submit_PrincipalWithoutApproverRole_Forbidden()
    {
        var (token, csrf) = Open(Approver());
        var reader = ClientPrincipal.FromHeaders(PrincipalHeader("11111111-1111-1111-1111-111111111111", "bob@contoso.com", "Containment.Reader"), null, "bob@contoso.com");

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, "approve"), reader, [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Contains(ApprovalOptions.ApproverRole, result.Html, StringComparison.Ordinal);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void Show_NoPrincipal_Unauthorized()
    {
        var token = _tokens.Issue(Instance, ["03-1c"], _request.Deadline);

        var result = _page.Show(Instance, token, ClientPrincipal.FromHeaders(null, "11111111-1111-1111-1111-111111111111", "bob@contoso.com"), [_request]);

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
    }

    [Fact]
    public async Task Submit_CsrfTokenIssuedToAnotherPrincipal_ForbiddenAndLinkNotSpent()
    {
        var (token, _) = Open(Approver());
        var (_, mallorysCsrf) = Open(Approver("22222222-2222-2222-2222-222222222222", "mallory@contoso.com"));

        var forged = await _page.SubmitAsync(Instance, Form(token, mallorysCsrf, "approve"), Approver(), [_request], CancellationToken.None);
        var missing = await _page.SubmitAsync(Instance, Form(token, "", "approve"), Approver(), [_request], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal(HttpStatusCode.Forbidden, missing.Status);
        Assert.True(await _ledger.TrySpendAsync(_tokens.Validate(token, Instance).Token!.Id, "test", Now, CancellationToken.None));
    }

    [Fact]
    public async Task Submit_AfterTheStepWasDecided_ConflictAndLinkNotSpent()
    {
        var (token, csrf) = Open(Approver());

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, "approve"), Approver(), [], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Conflict, result.Status);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public async Task Submit_FirstApproverOpensTheSecondApproversLinkOfATwoPersonStep_RefusedAndTheLinkStaysUsableForAnotherApprover()
    {
        var tierZero = _request with { RequiredApprovals = 2 };
        var (first, firstCsrf) = Open(Approver(), tierZero);
        var firstResult = await _page.SubmitAsync(Instance, Form(first, firstCsrf, "approve"), Approver(), [tierZero], CancellationToken.None);

        // The follow-up card's fresh link, opened by the same person.
        var (second, secondCsrf) = Open(Approver(), tierZero);
        var again = await _page.SubmitAsync(Instance, Form(second, secondCsrf, "approve"), Approver(), [tierZero], CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, firstResult.Status);
        Assert.Contains("First of two approvals, waiting for another approver", firstResult.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("You already approved this step", again.Html, StringComparison.Ordinal);
        Assert.Empty(again.Decisions);
        Assert.Single(_journal.Entries);

        var carol = Approver("33333333-3333-3333-3333-333333333333", "carol@contoso.com");
        var carolsCsrf = CsrfValue().Match(_page.Show(Instance, second, carol, [tierZero]).Html).Groups[1].Value;
        var secondApproval = await _page.SubmitAsync(Instance, Form(second, carolsCsrf, "approve"), carol, [tierZero], CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, secondApproval.Status);
        Assert.Equal("33333333-3333-3333-3333-333333333333", Assert.Single(secondApproval.Decisions).DecidedById);
        Assert.DoesNotContain("waiting for another approver", secondApproval.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_GroupedRequest_ListsEveryTargetWithItsOwnExcludeBox()
    {
        var grouped = GroupedRequest(7);
        var token = _tokens.Issue(Instance, ["03-1c"], grouped.Deadline);

        var result = _page.Show(Instance, token, Approver(), [grouped]);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("7 targets", result.Html, StringComparison.Ordinal);
        Assert.All(grouped.Targets, t =>
        {
            Assert.Contains(t.Target.Name, result.Html, StringComparison.Ordinal);
            Assert.Contains($"name=\"{ApprovalPage.ExcludeField("03-1c", t.StepIndex)}\"", result.Html, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Submit_GroupedRequestApprovedWithTwoTargetsExcluded_DecisionCarriesThemAndTheJournalNamesThem()
    {
        var grouped = GroupedRequest(5);
        var (token, csrf) = Open(Approver(), grouped);
        var form = new Dictionary<string, string>(Form(token, csrf, "approve"))
        {
            [ApprovalPage.ExcludeField("03-1c", grouped.Targets[1].StepIndex)] = "exclude",
            [ApprovalPage.ExcludeField("03-1c", grouped.Targets[3].StepIndex)] = "exclude",
            // Not a target of this request: ignored.
            [ApprovalPage.ExcludeField("03-1c", 999)] = "exclude",
        };

        var result = await _page.SubmitAsync(Instance, form, Approver(), [grouped], CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal([grouped.Targets[1].StepIndex, grouped.Targets[3].StepIndex], Assert.Single(result.Decisions).Excluded);
        var entry = Assert.Single(_journal.Entries);
        Assert.Contains("Excluded 2 of 5 targets", entry.Detail, StringComparison.Ordinal);
        Assert.Contains(grouped.Targets[3].Target.Name, entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_GroupedRequestRejectedWithATargetTicked_RejectsAllAndExcludesNothing()
    {
        var grouped = GroupedRequest(3);
        var (token, csrf) = Open(Approver(), grouped);
        var form = new Dictionary<string, string>(Form(token, csrf, "reject")) { [ApprovalPage.ExcludeField("03-1c", grouped.Targets[0].StepIndex)] = "exclude" };

        var result = await _page.SubmitAsync(Instance, form, Approver(), [grouped], CancellationToken.None);

        var decision = Assert.Single(result.Decisions);
        Assert.Equal(ApprovalVerdict.Reject, decision.Verdict);
        Assert.Empty(decision.Excluded);
    }

    /// <summary>1.c on <paramref name="targets"/> accounts as one request (steps 3, 4, …), as a wave asks it.</summary>
    private static ApprovalRequest GroupedRequest(int targets)
    {
        var request = Request();
        var list = Enumerable.Range(0, targets).Select(i => new ApprovalTarget(
            3 + i, new Playbook.Actions.ActionTarget(Playbook.Catalog.TargetKind.User, $"8a1f0c2e-2b6d-4a83-9f3b-{i:D12}", $"victim{i}@contoso.onmicrosoft.com"),
            $"Disable victim{i}@contoso.onmicrosoft.com.", request.Changes, [], 1)).ToList();
        return request with { Targets = list, Target = list[0].Target, Summary = $"{targets} targets" };
    }

    private (string Token, string Csrf) Open(ClientPrincipal principal, ApprovalRequest? request = null)
    {
        var token = _tokens.Issue(Instance, ["03-1c"], _request.Deadline);
        var html = _page.Show(Instance, token, principal, [request ?? _request]).Html;
        return (token, CsrfValue().Match(html).Groups[1].Value);
    }

    private static Dictionary<string, string> Form(string token, string csrf, string verdict, string comment = "") => new()
    {
        [ApprovalPage.TokenField] = token,
        [ApprovalPage.CsrfField] = csrf,
        ["decision:03-1c"] = verdict,
        [ApprovalPage.CommentField] = comment,
    };

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfValue();
}

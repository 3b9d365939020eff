using System.Net;
using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using static ResponseFunctions.Playbook.Tests.Approval.ApprovalSamples;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>What the page says, in which language, and what it keeps when it refuses.</summary>
public sealed partial class ApprovalPageContentTests
{
    private static readonly ApprovalContext Sentinel = new(
        "Microsoft Sentinel 4217 'Atypical travel'", "Microsoft Sentinel",
        new ApprovalSource(IncidentOrigin.SentinelIncident, "Microsoft Sentinel", "4217", "Atypical travel", "https://portal.azure.com/#incident/4217"),
        [new Evidence("Alert / rule", "Atypical travel for adele@contoso.onmicrosoft.com from 185.220.101.45")],
        ["Helpdesk Administrator"]);

    private readonly ManualClock _clock = new(Now);
    private readonly ApprovalTokens _tokens;
    private readonly ApprovalPage _page;

    public ApprovalPageContentTests()
    {
        _tokens = new ApprovalTokens(Options, _clock);
        _page = new ApprovalPage(_tokens, new CsrfTokens(Options, _clock), new InMemoryTokenLedger(), new InMemoryJournal(), _clock,
            new ApprovalPageClock(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")));
    }

    [Fact]
    public void Show_FrenchBrowser_FrenchPageWithLocalAndUtcDeadlineAndSheetIdsKept()
    {
        var request = Request() with { Context = Sentinel };

        var html = Show(request, PageLanguage.FromAcceptLanguage("fr-FR,fr;q=0.9,en-US;q=0.8")).Html;

        Assert.StartsWith("<!DOCTYPE html><html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>1.c — Disable the account · adele@contoso.onmicrosoft.com · INC-7 — Approbation</title>", html, StringComparison.Ordinal);
        Assert.Contains("sam. 14 mars 2026, 10:30</b> (Europe/Paris)<br>sam. 14 mars 2026, 09:30 UTC<br><b>30 min</b> restantes", html, StringComparison.Ordinal);
        Assert.Contains("Décider plus tard", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_SentinelIncident_SaysWhyBeforeTheChangesAndLinksOnlyHttps()
    {
        var html = Show(Request() with { Context = Sentinel }, PageLanguage.English).Html;
        var unsafeLink = Show(Request() with { Context = Sentinel with { Source = Sentinel.Source with { Url = "javascript:alert(1)" } } }, PageLanguage.English).Html;

        Assert.Contains("<a href=\"https://portal.azure.com/#incident/4217\" rel=\"noreferrer noopener\">Open the incident</a>", html, StringComparison.Ordinal);
        Assert.Contains("Microsoft Sentinel incident 4217", html, StringComparison.Ordinal);
        Assert.Contains("Atypical travel for adele@contoso.onmicrosoft.com from 185.220.101.45", html, StringComparison.Ordinal);
        Assert.Contains("<dd>Helpdesk Administrator</dd>", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Summary", StringComparison.Ordinal) < html.IndexOf("Why you are asked", StringComparison.Ordinal));
        Assert.True(html.IndexOf("Why you are asked", StringComparison.Ordinal) < html.IndexOf("Exact changes", StringComparison.Ordinal));
        Assert.DoesNotContain("javascript:", unsafeLink, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_OrganisationWideChangeLastOfMany_ShownFirstAndTheMailboxesCollapsedWithTheirCount()
    {
        var mailboxes = Enumerable.Range(1, 42).Select(i => new DisableMailboxLegacyProtocols($"user{i}@contoso.com", $"Turn off POP, IMAP on user{i}@contoso.com"));
        var request = Request("07-5d", "5.d", 7) with
        {
            Title = "Disable legacy protocols",
            Changes = [.. mailboxes, new DisableTenantSmtpAuth("organization", "Disable SMTP AUTH for the organisation")],
        };

        var html = Show(request, PageLanguage.English, ["07-5d"]).Html;

        var callout = html.IndexOf("class=\"org\"", StringComparison.Ordinal);
        Assert.True(callout > 0 && callout < html.IndexOf("Exact changes", StringComparison.Ordinal));
        Assert.True(html.IndexOf("Disable SMTP AUTH for the organisation", StringComparison.Ordinal) < html.IndexOf("user1@contoso.com", StringComparison.Ordinal));
        Assert.Contains("<details><summary>Disable mailbox legacy protocols (42)</summary>", html, StringComparison.Ordinal);
        Assert.Contains("(43)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ChoicesInOrder_DecideLaterCheckedRejectThenApproveApart()
    {
        var html = Show(Request(), PageLanguage.English).Html;

        var later = html.IndexOf("value=\"\" checked", StringComparison.Ordinal);
        var reject = html.IndexOf("value=\"reject\"", StringComparison.Ordinal);
        var approve = html.IndexOf("value=\"approve\"", StringComparison.Ordinal);
        Assert.True(later > 0 && later < reject && reject < approve);
        Assert.Contains("class=\"choice approve\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cols=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_FormLeftOpenTooLong_FormAgainWithTheCommentAndNothingRecorded()
    {
        var request = Request() with { Deadline = Now.AddHours(2) };
        var token = _tokens.Issue(Instance, ["03-1c"], request.Deadline);
        var csrf = CsrfValue().Match(_page.Show(Instance, token, Approver(), ApprovalPageView.Of([request]), PageLanguage.English).Html).Groups[1].Value;
        _clock.Advance(TimeSpan.FromMinutes(31));

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, "approve", "Checked with Adele <b>"), Approver(), ApprovalPageView.Of([request]), PageLanguage.English, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Empty(result.Decisions);
        Assert.Contains("has expired: nothing was recorded", result.Html, StringComparison.Ordinal);
        Assert.Contains(">Checked with Adele &lt;b&gt;</textarea>", result.Html, StringComparison.Ordinal);
        Assert.NotEqual(csrf, CsrfValue().Match(result.Html).Groups[1].Value);
    }

    [Fact]
    public async Task Submit_NoDecision_FormAgainWithTheComment()
    {
        var token = _tokens.Issue(Instance, ["03-1c"], Now.AddMinutes(30));
        var csrf = CsrfValue().Match(Show(Request(), PageLanguage.English, token: token).Html).Groups[1].Value;

        var result = await _page.SubmitAsync(Instance, Form(token, csrf, string.Empty, "Thinking"), Approver(), ApprovalPageView.Of([Request()]), PageLanguage.English, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Contains("choose Approve or Reject", result.Html, StringComparison.Ordinal);
        Assert.Contains(">Thinking</textarea>", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ExpiredLinkOfAStepDecidedMeanwhile_SaysWhoDecidedAndThatItWasApplied()
    {
        var token = _tokens.Issue(Instance, ["03-1c"], Now.AddMinutes(30));
        _clock.Advance(TimeSpan.FromMinutes(31));
        var step = new StepReport(3, ActionId.Parse("1.c"), "Disable the account", Priority.P0, Adele, Approval: ApprovalOutcome.Approved, DecidedBy: "alice@contoso.com",
            Apply: ApplyOutcome.Applied);

        var result = _page.Show(Instance, token, Approver(), new ApprovalPageView([], [step], "INC-7"), PageLanguage.English);

        Assert.Equal(HttpStatusCode.Gone, result.Status);
        Assert.Contains("<title>Link expired · 1.c Disable the account — Approval</title>", result.Html, StringComparison.Ordinal);
        Assert.Contains("approved by alice@contoso.com — applied", result.Html, StringComparison.Ordinal);
        Assert.Contains("new link", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"notice warn\"", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_TimedOutStepAppliedByPolicy_SaysSo()
    {
        var token = _tokens.Issue(Instance, ["03-1c"], Now.AddMinutes(30));
        var step = new StepReport(3, ActionId.Parse("1.c"), "Disable the account", Priority.P0, Adele, Approval: ApprovalOutcome.PreApproved, DecidedBy: "policy",
            Apply: ApplyOutcome.Applied);

        var html = _page.Show(Instance, token, Approver(), new ApprovalPageView([], [step]), PageLanguage.French).Html;

        Assert.Contains("pas de décision à temps, appliqué selon la politique d&#x27;expiration — appliqué", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("de-DE,de;q=0.9", "en")]
    [InlineData("fr-CA", "fr")]
    [InlineData("en-US,en;q=0.9,fr;q=0.8", "en")]
    [InlineData("de;q=1,fr;q=0.5,en;q=0.3", "fr")]
    [InlineData("fr;q=0,en;q=0.1", "en")]
    public void FromAcceptLanguage_Header_BestOfFrenchAndEnglish(string? header, string expected) =>
        Assert.Equal(expected, PageLanguage.FromAcceptLanguage(header).Tag);

    private PageResult Show(ApprovalRequest request, PageLanguage language, string[]? ids = null, string? token = null) =>
        _page.Show(Instance, token ?? _tokens.Issue(Instance, ids ?? ["03-1c"], request.Deadline), Approver(), ApprovalPageView.Of([request]), language);

    private static Dictionary<string, string> Form(string token, string csrf, string verdict, string comment) => new()
    {
        [ApprovalPage.TokenField] = token,
        [ApprovalPage.CsrfField] = csrf,
        ["decision:03-1c"] = verdict,
        [ApprovalPage.CommentField] = comment,
    };

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfValue();
}

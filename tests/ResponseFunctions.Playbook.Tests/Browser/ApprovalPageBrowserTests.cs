using System.Net;
using Microsoft.Playwright;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Tests.Approval;
using ResponseFunctions.Playbook.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// The approval page in Chromium, script disabled for every page, as two signed-in approvers (Easy Auth's headers, as
/// App Service would add them): decisions reach the running orchestration and the tenant, refusals explain themselves.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ApprovalPageBrowserTests(ChromiumFixture chromium)
{
    private static readonly Approver Bob = new("11111111-1111-1111-1111-111111111111", "bob.soc@contoso.com", "en-GB,en;q=0.9");
    private static readonly Approver Chloe = new("22222222-2222-2222-2222-222222222222", "chloe.cert@contoso.com", "fr-FR,fr;q=0.9,en;q=0.5");

    [Fact]
    public async Task ApprovalPage_TwoSignedInApprovers_DecisionsReachTheOrchestrationAndTheTenant()
    {
        await using var flow = await ApprovalFlow.StartAsync();
        var bob = await OpenAsync(Bob, 1280);
        var chloe = await OpenAsync(Chloe, 390);

        // Bob (English, desktop) approves 1.c.
        var form = await bob.GotoAsync(flow.LinkFor("1.c").ToString());
        Assert.Equal((int)HttpStatusCode.OK, form!.Status);
        await Expect(bob.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(bob.Locator("h1")).ToHaveTextAsync("1.c — Disable the account");
        await Expect(bob.Locator("main")).ToContainTextAsync("Atypical travel then MFA fatigue on Adele Vance");
        await Expect(bob.Locator("a[href='" + ApprovalFlow.IncidentUrl + "']")).ToBeVisibleAsync();
        await Expect(bob.Locator("input[value='']")).ToBeCheckedAsync();
        await bob.ScreenshotAsync(new() { Path = Artifact("approval-page-1280.png"), FullPage = true });
        await DecideAsync(bob, "1.c", "approve", "Called Adele: she is in Lyon, not in Moscow.");
        await Expect(bob.Locator("h1")).ToHaveTextAsync("Decision recorded");

        // Chloé (French, phone) rejects 1.a.
        await chloe.GotoAsync(flow.LinkFor("1.a").ToString());
        await Expect(chloe.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Expect(chloe.Locator("main")).ToContainTextAsync("Pourquoi cette demande");
        await Expect(chloe.Locator("main")).ToContainTextAsync("Réversible");
        await chloe.ScreenshotAsync(new() { Path = Artifact("approval-page-390.png"), FullPage = true });
        Assert.True(await NothingWiderThanTheScreenAsync(chloe, 390), "The page scrolls sideways at 390 px.");
        await DecideAsync(chloe, "1.a", "reject", "Le mot de passe a déjà été changé par le support.");
        await Expect(chloe.Locator("h1")).ToHaveTextAsync("Décision enregistrée");

        // 1.e changes Conditional Access for everyone: two different approvers, each with their own link.
        await bob.GotoAsync(flow.LinkFor("1.e").ToString());
        await Expect(bob.Locator(".org")).ToBeVisibleAsync();
        await DecideAsync(bob, "1.e", "approve", null);
        await Expect(bob.Locator("main")).ToContainTextAsync("a second, different approver must approve too");
        await chloe.GotoAsync(flow.LinkFor("1.e").ToString());
        await DecideAsync(chloe, "1.e", "approve", null);

        // Everything else on one link, rejected by Bob.
        var rest = flow.Pending.Select(p => p.Action.Value).Where(a => a is not ("1.c" or "1.a" or "1.e")).ToArray();
        await bob.GotoAsync(flow.LinkFor(rest).ToString());
        foreach (var action in rest)
        {
            await bob.Locator($"input[name='decision:{flow.RequestOf(action).RequestId}'][value='reject']").CheckAsync();
        }

        await Submit(bob);
        var report = await flow.Run.WaitAsync(TimeSpan.FromMinutes(2));

        var disable = report.Steps.Single(s => s.Action.Value == "1.c");
        Assert.Equal((ApprovalOutcome.Approved, Bob.Upn, Actions.ApplyOutcome.Applied), (disable.Approval!.Value, disable.DecidedBy!, disable.Apply!.Value));
        Assert.False(flow.Harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        var reset = report.Steps.Single(s => s.Action.Value == "1.a");
        Assert.Equal((ApprovalOutcome.Rejected, Chloe.Upn), (reset.Approval!.Value, reset.DecidedBy!));
        Assert.Null(reset.Apply);
        Assert.Empty(flow.Harness.Passwords.Generated);
        var conditionalAccess = report.Steps.Single(s => s.Action.Value == "1.e");
        Assert.Equal((ApprovalOutcome.Approved, $"{Bob.Upn} + {Chloe.Upn}"), (conditionalAccess.Approval!.Value, conditionalAccess.DecidedBy!));
        Assert.Contains(flow.Harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "approval:approved" && e.Detail.Contains("Called Adele", StringComparison.Ordinal));
        Assert.All(rest, action => Assert.Equal(ApprovalOutcome.Rejected, report.Steps.Single(s => s.Action.Value == action).Approval));

        // The main courante of this containment, exported as a CERT reads it.
        var export = await bob.Context.NewPageAsync();
        await export.SetViewportSizeAsync(1280, 900);
        await export.SetContentAsync(Playbook.Journal.JournalExport.Html(flow.Harness.Journal.Entries[0].IncidentId, flow.Harness.Journal.Entries, null));
        await Expect(export.Locator("h1")).ToContainTextAsync("SENTINEL-4217");
        await export.ScreenshotAsync(new() { Path = Artifact("main-courante-1280.png"), FullPage = true });
        await export.SetViewportSizeAsync(1280, 1100);
        await export.ScreenshotAsync(new() { Path = Artifact("main-courante-first-page-1280.png") });
        await export.CloseAsync();
        await bob.CloseAsync();
        await chloe.CloseAsync();
    }

    [Fact]
    public async Task ApprovalPage_LinkAlreadyUsed_SaysWhoDecidedAndKeepsTheComment()
    {
        await using var flow = await ApprovalFlow.StartAsync();
        var link = flow.LinkFor("1.b").ToString();
        var bob = await OpenAsync(Bob, 1280);
        var chloe = await OpenAsync(Chloe, 390);
        await bob.GotoAsync(link);
        await chloe.GotoAsync(link);

        await DecideAsync(bob, "1.b", "approve", null);
        var refused = await DecideAsync(chloe, "1.b", "reject", "Attendre l'appel de l'utilisatrice.");

        Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        await Expect(chloe.Locator("h1")).ToHaveTextAsync("Lien déjà utilisé");
        await Expect(chloe).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Lien déjà utilisé · 1\\.b "));
        await Expect(chloe.Locator("textarea[readonly]")).ToHaveValueAsync("Attendre l'appel de l'utilisatrice.");
        await Expect(chloe.Locator(".status")).ToContainTextAsync("1.b");
        await Expect(chloe.Locator(".status")).ToContainTextAsync($"Avec ce lien : approuvé par {Bob.Upn}");

        // Opening the spent link again names who used it instead of offering a form that can only be refused.
        var reopened = await chloe.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.OK, reopened!.Status);
        await Expect(chloe.Locator("h1")).ToHaveTextAsync("Lien déjà utilisé");
        Assert.Equal(0, await chloe.Locator("form").CountAsync());
        await chloe.ScreenshotAsync(new() { Path = Artifact("link-used-390.png"), FullPage = true });
        Assert.DoesNotContain(flow.Harness.Journal.Entries, e => e.Actor == Chloe.Upn);
        await bob.CloseAsync();
        await chloe.CloseAsync();
    }

    [Fact]
    public async Task ApprovalPage_ExpiredLink_NamesTheStepAndWhereItStands()
    {
        await using var flow = await ApprovalFlow.StartAsync();
        var bob = await OpenAsync(Bob, 390);

        var response = await bob.GotoAsync(flow.ExpiredLinkFor("1.d").ToString());

        Assert.Equal((int)HttpStatusCode.Gone, response!.Status);
        await Expect(bob.Locator("h1")).ToHaveTextAsync("Link expired");
        await Expect(bob).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Link expired · 1\\.d "));
        await Expect(bob.Locator(".status")).ToContainTextAsync("still waiting for a decision");
        await Expect(bob.Locator("main")).ToContainTextAsync("new link");
        Assert.Equal(0, await bob.Locator("form").CountAsync());
        await bob.ScreenshotAsync(new() { Path = Artifact("link-expired-390.png"), FullPage = true });
        await bob.CloseAsync();
    }

    [Fact]
    public async Task ApprovalPage_KeyboardOnly_ReachesEveryControlAndApprovesDeliberately()
    {
        await using var flow = await ApprovalFlow.StartAsync();
        var bob = await OpenAsync(Bob, 390);
        var field = "decision:" + flow.RequestOf("1.c").RequestId;
        await bob.GotoAsync(flow.LinkFor("1.c").ToString());

        var reached = new HashSet<string>(StringComparer.Ordinal);
        for (var press = 0; press < 40; press++)
        {
            await bob.Keyboard.PressAsync("Tab");
            var focused = bob.Locator(":focus");
            if (await focused.CountAsync() == 1)
            {
                reached.Add(await focused.EvaluateAsync<string>("e => e.tagName + ':' + (e.name || e.textContent.trim().slice(0, 20))"));
            }
        }

        Assert.Contains("A:Open the incident", reached);
        Assert.Contains("INPUT:" + field, reached);
        Assert.Contains("TEXTAREA:comment", reached);
        Assert.Contains(reached, r => r.StartsWith("BUTTON:", StringComparison.Ordinal));
        Assert.Contains(reached, r => r.StartsWith("SUMMARY:", StringComparison.Ordinal));

        // In a radio group the arrow keys move the choice: from "Decide later", one press is Reject, the next is Approve.
        await bob.Locator($"input[name='{field}'][value='']").FocusAsync();
        await bob.Keyboard.PressAsync("ArrowDown");
        await Expect(bob.Locator($"input[name='{field}'][value='reject']")).ToBeCheckedAsync();
        await bob.Keyboard.PressAsync("ArrowDown");
        await Expect(bob.Locator($"input[name='{field}'][value='approve']")).ToBeCheckedAsync();
        await bob.Locator("button[type=submit]").FocusAsync();
        await bob.Keyboard.PressAsync("Enter");
        await Expect(bob.Locator("h1")).ToHaveTextAsync("Decision recorded");
        await bob.CloseAsync();
    }

    [Fact]
    public async Task ApprovalPage_ScriptDisabled_ServesNoScriptUnderStrictHeaders()
    {
        await using var flow = await ApprovalFlow.StartAsync();
        var bob = await OpenAsync(Bob, 1280);

        var response = await bob.GotoAsync(flow.LinkFor("1.c").ToString());

        var headers = await response!.AllHeadersAsync();
        Assert.StartsWith("default-src 'none';", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("no-store", headers["cache-control"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal(0, await bob.Locator("script").CountAsync());
        Assert.Equal(0, await bob.Locator("[onclick],[onsubmit],[onload]").CountAsync());
        await bob.CloseAsync();
    }

    private sealed record Approver(string ObjectId, string Upn, string Languages);

    private async Task<IPage> OpenAsync(Approver approver, int width)
    {
        var page = await chromium.Context.NewPageAsync();
        await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);

        // What App Service Authentication adds after signing the approver in; the browser adds its languages.
        await page.SetExtraHTTPHeadersAsync(new Dictionary<string, string>
        {
            [ClientPrincipal.Header] = ApprovalSamples.PrincipalHeader(approver.ObjectId, approver.Upn, ApprovalOptions.ApproverRole),
            [ClientPrincipal.IdHeader] = approver.ObjectId,
            [ClientPrincipal.NameHeader] = approver.Upn,
            ["Accept-Language"] = approver.Languages,
        });
        return page;
    }

    private static async Task<IResponse> DecideAsync(IPage page, string action, string verdict, string? comment)
    {
        var field = await page.Locator("input[type=radio][value='approve']").First.GetAttributeAsync("name");
        var name = (await page.Locator("input[type=radio][value='approve']").AllAsync()).Count == 1 ? field : null;
        Assert.NotNull(name);
        Assert.EndsWith(action.Replace(".", string.Empty, StringComparison.Ordinal), name, StringComparison.Ordinal);
        await page.Locator($"input[name='{name}'][value='{verdict}']").CheckAsync();
        if (comment is not null)
        {
            await page.Locator("textarea[name=comment]").FillAsync(comment);
        }

        return await Submit(page);
    }

    private static Task<IResponse> Submit(IPage page) =>
        page.RunAndWaitForResponseAsync(() => page.Locator("button[type=submit]").ClickAsync(), r => r.Request.Method == "POST");

    private static Task<bool> NothingWiderThanTheScreenAsync(IPage page, int width) =>
        page.Locator("html").EvaluateAsync<bool>($"e => e.scrollWidth <= {width}");

    private static string Artifact(string name) => Path.Combine(ChromiumFixture.Artifacts, name);
}

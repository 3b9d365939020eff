using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Intake;

public sealed class SentinelTriageTests
{
    private static TriageResult Triage(string sample) =>
        SentinelTriage.Triage(SentinelPayloadParser.Parse(RepoFile.Read($"samples/sentinel/{sample}")), TriageTable.Default);

    [Fact]
    public void Triage_AtypicalTravelIncident_CallsForCase1OnTheAccountAndPublicIps()
    {
        var triage = Triage("incident-atypical-travel.json");

        Assert.Equal([CaseId.CompromisedAccount], triage.Cases);
        Assert.Equal([Contoso.Adele], triage.Targets.Users);
        Assert.Equal(["185.220.101.45/32", "45.155.205.23/32"], triage.Targets.Ips);
        Assert.Equal(IncidentSeverity.High, triage.Severity);
        Assert.Contains(triage.Reasons, r => r.Contains("ImpossibleTravel", StringComparison.Ordinal));
        Assert.Equal(IncidentSource.Sentinel, triage.Source.System);
        Assert.EndsWith("/Incidents/7e1f0c2a-5b3d-4e8f-9a6c-2d4b1f3e5a70", triage.Source.SentinelIncidentArmId);
    }

    [Fact]
    public void Triage_AmbiguousOrUnresolvableEntities_AreIgnoredWithWhyAndNeverTargeted()
    {
        var triage = Triage("incident-atypical-travel.json");

        Assert.Contains(triage.Ignored, i => i.Entity.Contains("svc-sync", StringComparison.Ordinal) && i.Why.StartsWith("ambiguous", StringComparison.Ordinal));
        Assert.Contains(triage.Ignored, i => i.Entity.Contains("10.20.30.40", StringComparison.Ordinal) && i.Why.Contains("private", StringComparison.Ordinal));
        Assert.Contains(triage.Ignored, i => i.Entity.Contains("CONTOSO-LT-042", StringComparison.Ordinal) && i.Why.Contains("azureID", StringComparison.Ordinal));
        // A Cloud Apps entity names its app by catalogue id: kept by exact name for case 2 only, which this incident does not call for.
        Assert.Contains(triage.Ignored, i => i.Entity.Contains("Office 365", StringComparison.Ordinal) && i.Why.Contains("case 2 was not selected", StringComparison.Ordinal));
        Assert.Contains(triage.Evidence, e => e.Label.Contains("Office 365", StringComparison.Ordinal) && e.Value.Contains("Cloud Apps catalogue id", StringComparison.Ordinal));
        Assert.DoesNotContain(triage.Targets.Ips, ip => ip.StartsWith("10.", StringComparison.Ordinal));
        Assert.Empty(triage.Targets.Applications);
        Assert.Empty(triage.Targets.Resources);
        Assert.Contains(triage.Evidence, e => e.Value.Contains("contoso-sso.example", StringComparison.Ordinal));
    }

    [Fact]
    public void Triage_InboxForwardingIncident_CallsForCases1And5WithMailboxAndUpnFromNameAndSuffix()
    {
        var triage = Triage("incident-inbox-forwarding.json");

        Assert.Equal([CaseId.CompromisedAccount, CaseId.MailDataLeak], triage.Cases);
        Assert.Equal(["diego.siciliani@contoso.onmicrosoft.com"], triage.Targets.Users);
        Assert.Equal(["diego.siciliani@contoso.onmicrosoft.com"], triage.Targets.Mailboxes);
        Assert.Contains(triage.Evidence, e => e.Label.StartsWith("mailmessage", StringComparison.Ordinal));
    }

    [Fact]
    public void Triage_SingleAlertPayload_ReadsPascalCaseEntitiesAndHasNoIncidentToCommentOn()
    {
        var incident = SentinelPayloadParser.Parse(RepoFile.Read("samples/sentinel/alert-password-spray.json"));
        var triage = SentinelTriage.Triage(incident, TriageTable.Default);

        Assert.Equal([CaseId.CompromisedAccount], triage.Cases);
        Assert.Equal([Contoso.Megan], triage.Targets.Users);
        Assert.Equal(["185.220.101.45/32"], triage.Targets.Ips);
        Assert.Null(triage.Source.SentinelIncidentArmId);
        Assert.StartsWith("sentinel-alert-", SentinelTriage.IncidentIdFor(incident), StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_DefenderForCloudAlertWithHostAzureId_CallsForCase3OnTheResourceOnly()
    {
        const string vm = "/subscriptions/2f8c4a61-7d3e-4b9a-8c5f-1e2d3c4b5a69/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-web-01";
        var incident = Incident("Suspicious process executed", "Microsoft Defender for Cloud", "VM_SuspiciousProcess",
            ("Host", $$"""{"hostName":"vm-web-01","azureID":"{{vm}}"}"""), ("Account", """{"accountName":"adele.vance","upnSuffix":"contoso.onmicrosoft.com"}"""));

        var triage = SentinelTriage.Triage(incident, TriageTable.Default);

        Assert.Equal([CaseId.CompromisedAzureResource], triage.Cases);
        Assert.Equal([vm], triage.Targets.Resources);
        Assert.Empty(triage.Targets.Users);
        Assert.Contains(triage.Ignored, i => i.Why.Contains("no selected case acts on it", StringComparison.Ordinal));
    }

    [Fact]
    public void Triage_NoRuleMatches_CallsForNothingAndSaysWhy()
    {
        var triage = SentinelTriage.Triage(Incident("Rare process on host", "Azure Sentinel", "a1b2_c3d4"), TriageTable.Default);

        Assert.Empty(triage.Cases);
        Assert.Contains(triage.Reasons, r => r.StartsWith("No triage rule matched", StringComparison.Ordinal));
        Assert.Null(IntakeRequests.From(triage, "x", "Microsoft Sentinel"));
    }

    [Fact]
    public void Triage_CaseWithoutAnyTarget_IsDroppedSayingSo()
    {
        var triage = SentinelTriage.Triage(Incident("Leaked credentials", "Azure Active Directory Identity Protection", "LeakedCredentials",
            ("Account", """{"accountName":"jdoe","ntDomain":"CONTOSO"}""")), TriageTable.Default);

        Assert.Empty(triage.Cases);
        Assert.Contains(triage.Reasons, r => r.StartsWith("Case 1 dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Triage_ConfiguredRuleOnTactic_AddsItsCase()
    {
        var options = new TriageOptions
        {
            IncludeDefaults = false,
            Rules = [new TriageRule { Name = "Exfiltration by a user", Cases = [5], Tactics = ["Exfiltration"] }],
        };

        var triage = SentinelTriage.Triage(SentinelPayloadParser.Parse(RepoFile.Read("samples/sentinel/incident-inbox-forwarding.json")), options.ToTable());

        Assert.Equal([CaseId.MailDataLeak], triage.Cases);
        Assert.Contains(triage.Reasons, r => r.Contains("tactic 'Exfiltration'", StringComparison.Ordinal));
    }

    [Fact]
    public void IncidentId_SameArmIdAnyDelivery_IsDeterministicAndAValidIncidentId()
    {
        var created = SentinelPayloadParser.Parse(RepoFile.Read("samples/sentinel/incident-atypical-travel.json"));
        var updated = SentinelPayloadParser.Parse(RepoFile.Read("samples/sentinel/incident-atypical-travel-update.json"));

        var id = SentinelTriage.IncidentIdFor(created);

        Assert.Equal(id, SentinelTriage.IncidentIdFor(updated));
        Assert.Matches(new Regex("^sentinel-4187-[0-9a-f]{8}$"), id);
        Assert.Matches(new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"), id);
    }

    [Fact]
    public void Parse_NeitherIncidentNorAlert_ThrowsNamingWhatIsMissing()
    {
        var error = Assert.Throws<SentinelPayloadException>(() => SentinelPayloadParser.Parse("""{"hello":"world"}"""));

        Assert.Contains("object.properties", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Incidents/1111/../../../../../../providers/Microsoft.Authorization/roleAssignments/x")]
    [InlineData("/Incidents/1111?api-version=2099-01-01")]
    [InlineData("/Incidents/1111#fragment")]
    [InlineData("/Incidents/")]
    public void Parse_IncidentIdNotExactlyAnIncidentArmId_RefusedBeforeItCanBecomeARequestPath(string tail)
    {
        var armId = "/subscriptions/2f8c4a61-7d3e-4b9a-8c5f-1e2d3c4b5a69/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights" + tail;
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            @object = new { id = armId, properties = new { title = "t", severity = "High", incidentNumber = 1, alerts = Array.Empty<object>(), relatedEntities = Array.Empty<object>() } },
        });

        var error = Assert.Throws<SentinelPayloadException>(() => SentinelPayloadParser.Parse(body));

        Assert.Contains("object.id", error.Message, StringComparison.Ordinal);
    }

    private static SentinelIncident Incident(string title, string product, string alertType, params (string Kind, string Properties)[] entities)
    {
        var armId = "/subscriptions/2f8c4a61-7d3e-4b9a-8c5f-1e2d3c4b5a69/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/Incidents/11111111-2222-4333-8444-555555555555";
        var related = string.Join(",", entities.Select(e => $$"""{"kind":"{{e.Kind}}","properties":{{e.Properties}}}"""));
        var alert = $$"""{"properties":{"alertDisplayName":"{{title}}","alertType":"{{alertType}}","productName":"{{product}}","tactics":[]""" + "}}";
        var properties = $$"""{"title":"{{title}}","severity":"Medium","incidentNumber":7,"alerts":[{{alert}}],"relatedEntities":[{{related}}]""" + "}";
        return SentinelPayloadParser.Parse($$"""{"objectEventType":"Create","object":{"id":"{{armId}}","properties":{{properties}}""" + "}}");
    }
}

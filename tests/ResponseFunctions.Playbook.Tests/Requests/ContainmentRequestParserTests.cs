using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Tests.Requests;

public sealed class ContainmentRequestParserTests
{
    private const string Valid = """
        { "cases": ["1"], "targets": { "users": ["Adele.Vance@contoso.onmicrosoft.com", "5C1A9E2B-0D4F-4B7E-8A3C-1E2F3A4B5C01"], "ips": ["185.220.101.45", "2a0b:f4c0::/48"], "countries": ["ru"] },
          "mode": "contain", "reason": "phishing", "incidentId": "INC-42" }
        """;

    [Fact]
    public void Parse_ValidBody_NormalizesTargets()
    {
        var result = ContainmentRequestParser.Parse(Valid, "analyst@contoso.com");

        Assert.True(result.IsValid);
        var request = result.Request!;
        Assert.Equal([CaseId.CompromisedAccount], request.Cases);
        Assert.Equal(["adele.vance@contoso.onmicrosoft.com", "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01"], request.Targets.Users);
        Assert.Equal(["185.220.101.45/32", "2a0b:f4c0::/48"], request.Targets.Ips);
        Assert.Equal(["RU"], request.Targets.Countries);
        Assert.Equal(ContainmentMode.Contain, request.Mode);
        Assert.Equal("analyst@contoso.com", request.RequestedBy);
    }

    [Theory]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"],"ips":["10.0.0.1","999.1.1.1"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.ips[1]")]
    [InlineData("""{"cases":["7"],"targets":{"users":["a@b.com"]},"mode":"plan","reason":"r","incidentId":"i"}""", "cases[0]")]
    [InlineData("""{"cases":["1"],"targets":{"users":[]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.users")]
    [InlineData("""{"cases":["1"],"targets":{"users":["not a user"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.users[0]")]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"]},"mode":"destroy","reason":"r","incidentId":"i"}""", "mode")]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"]},"mode":"plan","reason":"r","incidentId":"../etc/passwd"}""", "incidentId")]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"]},"mode":"plan","incidentId":"i"}""", "reason")]
    [InlineData("""{"cases":["1"],"target":{"users":["a@b.com"]},"mode":"plan","reason":"r","incidentId":"i"}""", "target")]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"],"countries":["FRA"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.countries[0]")]
    [InlineData("""{"cases":["1"],"targets":{"users":["a@b.com"],"ips":["10.0.0.0/4"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.ips[0]")]
    [InlineData("""{"cases":["2"],"targets":{},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.applications")]
    [InlineData("""{"cases":["2"],"targets":{"applications":["not-a-guid"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.applications[0]")]
    [InlineData("""{"cases":["3"],"targets":{"resources":["/subscriptions/x"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.resources[0]")]
    [InlineData("""{"cases":["5"],"targets":{},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.mailboxes")]
    [InlineData("""{"cases":["4"],"targets":{"domains":["bad domain"]},"mode":"plan","reason":"r","incidentId":"i"}""", "targets.domains[0]")]
    public void Parse_InvalidField_NamesTheField(string body, string field)
    {
        var result = ContainmentRequestParser.Parse(body, "analyst");

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Field == field);
    }

    [Fact]
    public void Parse_EveryTargetKind_Normalized()
    {
        const string body = """
            { "cases": ["2", "3", "4", "5"], "mode": "plan", "reason": "r", "incidentId": "INC-7",
              "targets": { "applications": ["6F1A2B3C-0000-4000-8000-000000000001"], "mailboxes": ["Finance@Contoso.com"], "domains": ["Attacker.Example"],
                           "resources": ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-web-01"] } }
            """;

        var targets = ContainmentRequestParser.Parse(body, "analyst").Request!.Targets;

        Assert.Equal(["6f1a2b3c-0000-4000-8000-000000000001"], targets.Applications);
        Assert.Equal(["finance@contoso.com"], targets.Mailboxes);
        Assert.Equal(["attacker.example"], targets.Domains);
        Assert.Single(targets.Resources);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    public void Parse_NotAnObject_IsRefused(string body)
    {
        var result = ContainmentRequestParser.Parse(body, "analyst");

        Assert.False(result.IsValid);
        Assert.Equal("$", Assert.Single(result.Problems).Field);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var result = ContainmentRequestParser.Parse("""{"cases":[],"targets":{},"mode":"x"}""", "analyst");

        Assert.Equal(["cases", "incidentId", "mode", "reason"], result.Problems.Select(p => p.Field).Distinct().Order());
    }
}

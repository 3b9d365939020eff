using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Intake;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>Hostile request bodies: duplicate keys, an ARM id with a trailing newline, resource ids that would escape their path.</summary>
public sealed class InputAttackTests
{
    [Fact]
    public void Parse_ModeGivenTwicePlanThenContain_RefusedNothingStarted()
    {
        var result = ContainmentRequestParser.Parse(
            """{"cases":["1"],"targets":{"users":["a@b.com"]},"mode":"plan","reason":"r","incidentId":"i","mode":"contain"}""", "analyst");

        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        Assert.Contains(result.Problems, p => p.Field == "$");
    }

    [Fact]
    public void Parse_DuplicateKeyInsideTargets_Refused()
    {
        var result = ContainmentRequestParser.Parse(
            """{"cases":["1"],"targets":{"users":["a@b.com"],"users":["ceo@b.com"]},"mode":"plan","reason":"r","incidentId":"i"}""", "analyst");

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("/../../incidents/other")]
    [InlineData("?api-version=1")]
    public void SentinelParse_IncidentArmIdWithAnythingAfterTheId_Refused(string suffix)
    {
        var payload = Sample();
        payload["object"]!["id"] = (string)payload["object"]!["id"]! + suffix;

        Assert.Throws<SentinelPayloadException>(() => SentinelPayloadParser.Parse(payload.ToJsonString()));
    }

    [Fact]
    public void SentinelParse_IncidentArmIdWithALookAlikeLetter_Refused()
    {
        var payload = Sample();
        var id = (string)payload["object"]!["id"]!;
        payload["object"]!["id"] = id.Replace("workspaces", "wor\u212Aspaces", StringComparison.Ordinal);

        Assert.Throws<SentinelPayloadException>(() => SentinelPayloadParser.Parse(payload.ToJsonString()));
    }

    [Fact]
    public void SentinelParse_DuplicateKeys_Refused()
    {
        var json = Sample().ToJsonString();
        var duplicated = json.Insert(1, "\"object\":{},");

        Assert.Throws<SentinelPayloadException>(() => SentinelPayloadParser.Parse(duplicated));
    }

    [Theory]
    [InlineData("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/../../../other")]
    [InlineData("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines//vm1")]
    [InlineData("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm\u0131")]
    [InlineData("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/r\u0261/providers/Microsoft.Compute/virtualMachines/vm1")]
    public void Parse_ResourceIdThatWouldEscapeItsPath_RefusedNamingTheField(string resourceId)
    {
        var body = new JsonObject
        {
            ["cases"] = new JsonArray("3"),
            ["targets"] = new JsonObject { ["resources"] = new JsonArray(resourceId) },
            ["mode"] = "plan",
            ["reason"] = "r",
            ["incidentId"] = "i",
        };

        var result = ContainmentRequestParser.Parse(body.ToJsonString(), "analyst");

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Field == "targets.resources[0]");
        Assert.Null(ResourceIds.Normalize(resourceId));
    }

    [Fact]
    public void ResourceIds_TrailingNewline_RefusedUnlikeADollarAnchor() =>
        Assert.Null(ResourceIds.Normalize("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1\n"));

    [Fact]
    public void ResourceIds_WellFormed_Accepted() =>
        Assert.NotNull(ResourceIds.Normalize("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-prod_1/providers/Microsoft.Compute/virtualMachines/vm1"));

    private static JsonObject Sample() => JsonNode.Parse(RepoFile.Read("samples/sentinel/incident-atypical-travel.json"))!.AsObject();
}

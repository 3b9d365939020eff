using System.Net;
using Microsoft.DurableTask.Client;
using Moq;
using ResponseFunctions.Journal;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Journal;

/// <summary>GET api/containments/{id}/journal/verify against a keyed chain that a storage writer edited or cut short (issue 9, point 10).</summary>
public sealed class VerifyJournalTests
{
    private static readonly JournalChainKey Key = JournalChainKey.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly ChainedTextJournal _journal = new(Key);

    public VerifyJournalTests()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Completed, Samples.Report()));
        for (var n = 1; n <= 4; n++)
        {
            _journal.AppendAsync(new JournalEntry($"x/{n:00}/apply", new DateTimeOffset(Samples.Now).AddMinutes(n), Samples.IncidentId, "ResponseFunctions", "1.a",
                Samples.Alice.ToString(), "apply:applied", $"step {n}"), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task Run_IntactChainWithItsAnchor_200AndTheHead()
    {
        var anchor = (await _journal.VerifyAsync(Samples.IncidentId, null, CancellationToken.None)).Head!;

        var response = await Verify(anchor.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = response.Json();
        Assert.True(body.GetProperty("intact").GetBoolean());
        Assert.Equal(4, body.GetProperty("entries").GetInt32());
        Assert.Equal(anchor.ToString(), body.GetProperty("head").GetString());
        Assert.Equal(anchor.ToString(), body.GetProperty("anchorChecked").GetString());
    }

    [Fact]
    public async Task Run_LineEditedInStorage_409WithTheFirstBadLine()
    {
        var lines = Lines();
        lines[2] = lines[2].Replace("step 3", "step 3 (nothing changed)", StringComparison.Ordinal);
        _journal.Overwrite(Samples.IncidentId, string.Concat(lines.Select(l => l + "\n")));

        var response = await Verify(anchor: null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = response.Json();
        Assert.False(body.GetProperty("intact").GetBoolean());
        Assert.Equal(3, body.GetProperty("firstBadLine").GetInt32());
        Assert.Contains("altered", body.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TruncatedAfterTheAnchor_409()
    {
        var anchor = (await _journal.VerifyAsync(Samples.IncidentId, null, CancellationToken.None)).Head!;
        _journal.Overwrite(Samples.IncidentId, string.Concat(Lines()[..3].Select(l => l + "\n")));
        Assert.Equal(HttpStatusCode.OK, (await Verify(anchor: null)).StatusCode);

        var response = await Verify(anchor.ToString());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = response.Json();
        Assert.False(body.GetProperty("intact").GetBoolean());
        Assert.Equal(4, body.GetProperty("firstBadLine").GetInt32());
        Assert.Contains("truncated", body.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MalformedAnchor_400()
    {
        var response = await Verify("4:not-a-hash");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Run_FileJournal_501()
    {
        var response = await new VerifyJournal(new InMemoryJournal()).Run(
            TestHttpRequest.Get($"https://rf.example.net/api/containments/{Samples.InstanceId}/journal/verify"), Samples.InstanceId, _client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    private string[] Lines() => _journal.Text(Samples.IncidentId).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> Verify(string? anchor) =>
        new VerifyJournal(_journal).Run(
            TestHttpRequest.Get($"https://rf.example.net/api/containments/{Samples.InstanceId}/journal/verify" + (anchor is null ? string.Empty : $"?anchor={Uri.EscapeDataString(anchor)}")),
            Samples.InstanceId, _client.Object, TestFunctionContext.Create());
}

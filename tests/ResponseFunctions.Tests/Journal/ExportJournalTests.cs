using System.Net;
using Microsoft.DurableTask.Client;
using Moq;
using ResponseFunctions.Journal;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Journal;

public sealed class ExportJournalTests
{
    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly InMemoryJournal _journal = new();

    public ExportJournalTests()
    {
        _client
            .Setup(c => c.GetInstanceAsync(Samples.InstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Samples.Instance(OrchestrationRuntimeStatus.Completed, Samples.Report()));
        _journal.AppendAsync(new JournalEntry("x/01/apply", new DateTimeOffset(Samples.Now), Samples.IncidentId, "ResponseFunctions", "1.a",
            Samples.Alice.ToString(), "apply:applied", "Password reset."), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData("md", "text/markdown", "# Main courante — incident INC-42")]
    [InlineData("csv", "text/csv", "Time (UTC),Who,Action,Title,Target,Outcome,Detail")]
    [InlineData("html", "text/html", "<!DOCTYPE html><html lang=\"en\">")]
    [InlineData("jsonl", "application/x-ndjson", "{\"id\":\"x/01/apply\"")]
    public async Task Run_EachFormat_ServesTheIncidentsJournalAsAnAttachment(string format, string contentType, string start)
    {
        var response = await Export(format);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(contentType, response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains($"main-courante-inc-42.{format}", response.Header("Content-Disposition"), StringComparison.Ordinal);
        response.Body.Position = 0;
        Assert.StartsWith(start, new StreamReader(response.Body).ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Csv_Utf8WithByteOrderMark()
    {
        var response = await Export("csv");

        var bytes = ((MemoryStream)response.Body).ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
    }

    [Fact]
    public async Task Run_UnknownFormat_400()
    {
        var response = await Export("xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> Export(string format) =>
        new ExportJournal(_journal).Run(
            TestHttpRequest.Get($"https://rf.example.net/api/containments/{Samples.InstanceId}/journal?format={format}"),
            Samples.InstanceId, _client.Object, TestFunctionContext.Create());
}

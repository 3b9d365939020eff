using System.Net;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using ResponseFunctions.Containments;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Containments;

/// <summary>A body that says "plan" to its reviewer and "contain" to a last-one-wins parser starts nothing.</summary>
public sealed class DuplicateKeyTests
{
    [Fact]
    public async Task Start_ModePlanThenModeContain_400AndNothingScheduled()
    {
        var client = new Mock<DurableTaskClient>("test");
        const string body = """{"cases":["1"],"targets":{"users":["adele@contoso.com"]},"mode":"plan","reason":"r","incidentId":"INC-1","mode":"contain"}""";

        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post("https://rf.example.net/api/containments", body), client.Object, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }
}

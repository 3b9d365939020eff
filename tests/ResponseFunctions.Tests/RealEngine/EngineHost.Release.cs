using System.Net;
using System.Text.Json;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Release;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.RealEngine;

/// <summary>The release routes of the host, over the same engine, tenant and journal.</summary>
internal sealed partial class EngineHost
{
    /// <summary>POST /api/containments/{id}/release with <paramref name="body"/>; the status code and the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostReleaseAsync(string containmentId, string body)
    {
        var response = await new StartRelease(Journal).Run(
            TestHttpRequest.Post($"https://rf.example.net/api/containments/{containmentId}/release", body), containmentId, Client, TestFunctionContext.Create());
        return (response.StatusCode, response.Json());
    }

    /// <summary>Waits for a release instance to finish; its report.</summary>
    public async Task<ReleaseReport> WaitForReleaseAsync(string releaseId)
    {
        var instance = await Client.WaitForInstanceCompletionAsync(releaseId, getInputsAndOutputs: true);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance.ReadOutputAs<ReleaseReport>()!;
    }
}

using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Throttling;

/// <summary>Requests made at the same moment travel as one JSON batch; each caller still gets its own answer.</summary>
public sealed class GraphBatchHandlerTests
{
    [Fact]
    public async Task Send_FiveReadsAndAWriteAtOnce_OneRoundTripEachCallerItsOwnAnswer()
    {
        await using var tenant = await SimulatedTenant.SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(4));
        // A batch of six goes when the sixth request comes, however long the others took to come (no timing in the test).
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler(), batchWindow: TimeSpan.FromMinutes(5), batchSize: 6);
        var upns = Enumerable.Range(0, 4).Select(i => PasswordSprayScenario.UserPrincipalName(i)).ToList();
        var ids = tenant.State.Read(m => upns.Select(u => m.FindUser(u)!.Id).ToList());

        var reads = ids.Select(id => graph.Users[id].GetAsync(r => r.QueryParameters.Select = ["id", "userPrincipalName"])).ToList();
        var missing = graph.Users["00000000-0000-4000-8000-000000000000"].GetAsync();
        var write = graph.Users[ids[3]].PatchAsync(new User { AccountEnabled = false });
        var users = await Task.WhenAll(reads);
        var notFound = await Assert.ThrowsAsync<ODataError>(() => missing);
        await write;

        Assert.Equal(upns, users.Select(u => u!.UserPrincipalName));
        Assert.Equal(404, notFound.ResponseStatusCode);
        Assert.False(tenant.State.Read(m => m.FindUser(ids[3])!.AccountEnabled));
        var log = tenant.Requests.Snapshot();
        Assert.Equal("/v1.0/$batch", Assert.Single(log, r => r.Batch is null).PathAndQuery);
        Assert.Equal(6, log.Count(r => r.Batch is not null));
    }

    [Fact]
    public async Task Send_OneRequestAlone_SentAsItIsWithoutABatch()
    {
        await using var tenant = await SimulatedTenant.SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(1));
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler(), batchWindow: TimeSpan.FromMilliseconds(5));

        var user = await graph.Users[PasswordSprayScenario.UserPrincipalName(0)].GetAsync();

        Assert.NotNull(user);
        var sent = Assert.Single(tenant.Requests.Snapshot());
        Assert.Null(sent.Batch);
        Assert.StartsWith("/v1.0/users/", sent.PathAndQuery, StringComparison.Ordinal);
    }
}

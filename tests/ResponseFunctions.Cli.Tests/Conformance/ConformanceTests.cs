using System.Collections.Concurrent;
using System.Text.Json;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Tests.Conformance;

/// <summary>
/// Keeps the clients and the simulated tenant honest against Microsoft's published contracts
/// (../shared/reference/graph-v1.0-metadata.xml, the Graph v1.0 CSDL; ../shared/reference/exchange-online-cmdlets.json):
/// every Graph route the simulator serves, every request the drills send, and (when .ci/run recorded them in
/// RF_REQUEST_LOG_DIR) every request the whole test suite sent must resolve there. Under .ci/run
/// (RF_CONFORMANCE_REQUIRED=1) missing reference files fail these tests with the reason.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly Lazy<WireConformance?> Checker = new(() =>
        ReferenceFiles.Missing(ReferenceFiles.GraphCsdl, "graph-v1.0-metadata.xml") is null
        && ReferenceFiles.Missing(ReferenceFiles.ExchangeCmdlets, "exchange-online-cmdlets.json") is null
            ? new WireConformance(new GraphCsdl(ReferenceFiles.GraphCsdl!), new ExchangeCmdletList(ReferenceFiles.ExchangeCmdlets!))
            : null);

    [Fact]
    public void SimulatedGraphRoutes_EachResolvesInTheCsdl()
    {
        if (Checker.Value is not { } checker)
        {
            return; // reference files absent outside CI (ReferenceFiles.Missing throws under .ci/run)
        }

        var problems = SimulatedSurface.GraphRoutes
            .SelectMany(r => Expand(r.Template).SelectMany(path => checker.CheckGraph(r.Method, path, "", null).Select(p => $"{r.Method} /v1.0/{path}: {p}")))
            .ToList();

        Assert.True(SimulatedSurface.GraphRoutes.Count > 40);
        Assert.True(problems.Count == 0, "Routes the simulator serves that Graph v1.0 does not have:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void SimulatedExchangeCmdlets_EachCmdletAndParameterIsInTheCmdletList()
    {
        if (Checker.Value is not { } checker)
        {
            return;
        }

        var problems = SimulatedSurface.ExchangeCmdlets
            .SelectMany(c => checker.CheckExchange(JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = c.Key, Parameters = c.Value.ToDictionary(p => p, _ => "x") } })))
            .ToList();

        Assert.True(SimulatedSurface.ExchangeCmdlets.Count > 20);
        Assert.True(problems.Count == 0, "Cmdlets or parameters the simulated Exchange plane accepts that Exchange Online does not have:\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task Drills_EveryGraphAndExchangeRequestResolves()
    {
        if (Checker.Value is not { } checker)
        {
            return;
        }

        var seen = new ConcurrentQueue<RecordedRequest>();
        void Record(RecordedRequest r) => seen.Enqueue(r);
        var folder = Directory.CreateTempSubdirectory("conformance-").FullName;
        WireRecorder.Recorded += Record;
        try
        {
            foreach (var scenario in new[] { "compromised-account", "illicit-consent", "bec", "spam-relay" })
            {
                var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", scenario, "--approve", "all", "--journal", Path.Combine(folder, $"{scenario}.jsonl"));
                Assert.True(exit == 0, $"{scenario}: {error}");
            }
        }
        finally
        {
            WireRecorder.Recorded -= Record;
            Directory.Delete(folder, recursive: true);
        }

        var problems = seen.Where(WireConformance.Accepted).SelectMany(checker.Check).Distinct().ToList();
        Assert.True(seen.Count > 100);
        Assert.True(problems.Count == 0, "Requests the drills sent that Microsoft's contracts do not have:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void SuiteRequests_RecordedByCi_EveryRequestResolves()
    {
        if (Checker.Value is not { } checker || Environment.GetEnvironmentVariable(WireRecorder.DirectoryVariable) is not { Length: > 0 } dir || !Directory.Exists(dir))
        {
            return; // only .ci/run records the whole suite's requests (RF_REQUEST_LOG_DIR)
        }

        var requests = Directory.EnumerateFiles(dir, "requests-*.jsonl")
            .SelectMany(File.ReadLines)
            .Select(l => JsonSerializer.Deserialize<RecordedRequest>(l)!)
            .Where(WireConformance.Accepted)
            .ToList();
        var problems = requests.SelectMany(checker.Check).Distinct().ToList();
        Assert.True(problems.Count == 0, $"Requests the test suite sent ({requests.Count} checked) that Microsoft's contracts do not have:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Checker_RequestsTheRealServiceWouldRefuse_AreCaught()
    {
        if (Checker.Value is not { } checker)
        {
            return;
        }

        Assert.NotEmpty(checker.CheckGraph("GET", "users/x/notAProperty", "", null));
        Assert.NotEmpty(checker.CheckGraph("GET", "users", "$select=id,surnameTypo", null));
        Assert.NotEmpty(checker.CheckGraph("PATCH", "users/x", "", """{"accountEnabled":false,"passwordPolicy":"x"}"""));
        Assert.NotEmpty(checker.CheckGraph("POST", "identity/conditionalAccess/namedLocations", "", """{"@odata.type":"#microsoft.graph.ipNamedLocationTypo","displayName":"x"}"""));
        Assert.NotEmpty(checker.CheckGraph("DELETE", "users", "", null));
        Assert.NotEmpty(checker.CheckExchange("""{"CmdletInput":{"CmdletName":"Set-EOPProtectionPolicyRule","Parameters":{"Identity":"x","Recipients":["a"]}}}"""));
        Assert.NotEmpty(checker.CheckExchange("""{"CmdletInput":{"CmdletName":"Get-ProtectionAlert","Parameters":{}}}"""));
        Assert.Empty(checker.CheckGraph("POST", "users/x/revokeSignInSessions", "", null));
        Assert.Empty(checker.CheckGraph("GET", "roleManagement/directory/roleAssignmentScheduleInstances", "$filter=principalId eq 'x'", null));
        Assert.Empty(checker.CheckGraph("POST", "identity/conditionalAccess/namedLocations", "", """{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"185.220.101.7/32"}]}"""));
    }

    [Fact]
    public void Checker_JsonBatch_EnvelopeAcceptedAndEachRequestInItChecked()
    {
        if (Checker.Value is not { } checker)
        {
            return;
        }

        Assert.Empty(checker.CheckBatch("POST", """{"requests":[{"id":"1","method":"GET","url":"/users/x?$select=id,accountEnabled"},{"id":"2","method":"PATCH","url":"/users/x","body":{"accountEnabled":false},"headers":{"Content-Type":"application/json"},"dependsOn":["1"]}]}"""));
        Assert.Single(checker.CheckBatch("POST", """{"requests":[{"id":"1","method":"GET","url":"/users/x?$select=surnameTypo"}]}"""));
        Assert.Single(checker.CheckBatch("POST", """{"requests":[{"id":"1","method":"PATCH","url":"/users/x","body":{"passwordPolicy":"x"}}]}"""));
        Assert.NotEmpty(checker.CheckBatch("POST", "{\"requests\":[" + string.Join(',', Enumerable.Range(1, 21).Select(i => $"{{\"id\":\"{i}\",\"method\":\"GET\",\"url\":\"/users/x\"}}")) + "]}"));
        Assert.NotEmpty(checker.CheckBatch("GET", null));
    }

    /// <summary>A route template as concrete paths: ids for placeholders, every typed collection for "{collection}".</summary>
    private static IEnumerable<string> Expand(string template)
    {
        var path = string.Join('/', template.Split('/').Select(s => s == "{collection}" ? s : s.StartsWith('{') && s.EndsWith('}') ? "00000000-0000-0000-0000-000000000001" : s));
        return path.Contains("{collection}", StringComparison.Ordinal)
            ? SimulatedSurface.AuthenticationMethodCollections.Select(c => path.Replace("{collection}", c, StringComparison.Ordinal))
            : [path];
    }
}

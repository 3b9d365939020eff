using System.Text.Json;
using ResponseFunctions.Cli.Bench;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Tests;

/// <summary>bench measures a pre-approved Case 1 on sprayed accounts and writes every figure; it asserts nothing about time, nor do these tests.</summary>
public sealed class BenchCommandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Bench_ThreeSprayedAccounts_ContainsThemWithoutApprovalsAndWritesEveryFigure()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, error) = await Cli.RunAsync("bench", "--scenario", "password-spray", "--users", "3", "--tenant-size", "small", "--json", path);

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var root = json.RootElement;
            string[] figures =
            [
                "users", "requests", "writes", "requestsPerAccount", "throttled", "wallSeconds", "boundSeconds", "ratio", "firstWriteSeconds",
                "p0CompleteSeconds", "peakWorkingSetMb", "allocatedMb", "journalBytes", "maxHistoryEvents", "instances", "maxCustomStatusChars", "approvalRequests", "cardBytesMax",
                "graphCalls", "batches", "routes", "applied", "directWallSeconds", "engineOverheadMsPerStep", "directAllocatedMb", "maxHistoryByKind",
                "historyReplayedMb",
            ];
            Assert.All(figures, f => Assert.True(root.TryGetProperty(f, out _), f));
            Assert.Equal(3, root.GetProperty("users").GetInt32());
            Assert.StartsWith("completed", root.GetProperty("outcome").GetString(), StringComparison.Ordinal);
            // Four P0 changes per account at least: password, sessions, account, authenticator.
            Assert.True(root.GetProperty("writes").GetInt32() >= 12, output);
            Assert.Equal(0, root.GetProperty("approvalRequests").GetInt32());
            Assert.Equal(0, root.GetProperty("cardBytesMax").GetInt32());
            Assert.True(root.GetProperty("journalBytes").GetInt64() > 0);
            // The containment and its one wave, each with a history read from the engine.
            Assert.Equal(2, root.GetProperty("instances").GetInt32());
            Assert.True(root.GetProperty("maxHistoryEvents").GetInt32() > 0);
            // What the replays of each kind of instance read: the containment's and its wave's, no group for one wave.
            var replayed = root.GetProperty("historyReplayedMb");
            Assert.Equal(["containment", "wave"], replayed.EnumerateObject().Select(p => p.Name));
            Assert.True(root.GetProperty("firstWriteSeconds").GetDouble() <= root.GetProperty("p0CompleteSeconds").GetDouble());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--scenario", "compromised-account", "--users", "3")]
    [InlineData("--users", "0")]
    [InlineData("--users", "3", "--tenant-size", "huge")]
    [InlineData("--scenario", "password-spray")]
    [InlineData("--users", "3", "--wave-size", "0")]
    [InlineData("--users", "3", "--parallel-steps", "many")]
    [InlineData("--users", "3", "--blob-journal-env", "RF_BENCH_TEST_VARIABLE_NEVER_SET")]
    public async Task Bench_BadArguments_UsageExitTwo(params string[] args)
    {
        var (exit, _, error) = await Cli.RunAsync(["bench", .. args]);

        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Tally_ReadsThrottlesAndChanges_CountsOnlyAdmittedChanges()
    {
        RecordedRequest[] log =
        [
            new(T0, "GET", "/v1.0/users/a", null, 200),
            new(T0.AddSeconds(1), "POST", "/v1.0/directoryObjects/getByIds", "{}", 200),
            new(T0.AddSeconds(2), "POST", "/adminapi/beta/t/InvokeCommand", """{"CmdletInput":{"CmdletName":"Get-Mailbox"}}""", 200),
            new(T0.AddSeconds(3), "PATCH", "/v1.0/users/a", "{}", 429),
            new(T0.AddSeconds(4), "PATCH", "/v1.0/users/a", "{}", 204),
            new(T0.AddSeconds(5), "POST", "/adminapi/beta/t/InvokeCommand", """{"CmdletInput":{"CmdletName":"Set-Mailbox"}}""", 200),
            new(T0.AddSeconds(6), "POST", "/v1.0/identityProtection/riskyUsers/confirmCompromised", "{}", 204),
            new(T0.AddSeconds(7), "DELETE", "/v1.0/users/a/authentication/phoneMethods/p", null, 404),
        ];

        var tally = RequestTally.Of(log);

        Assert.Equal(new RequestTally(8, Writes: 3, IdentityWrites: 1, ExchangeCommands: 2, Throttled: 1, FirstWrite: T0.AddSeconds(4), IdentityProtectionRequests: 1) { Calls = 8 }, tally);
    }

    [Fact]
    public void Tally_ABatchOfAReadAndAWrite_OneRoundTripTwoCallsOneWrite()
    {
        RecordedRequest[] log =
        [
            new(T0, "GET", "/v1.0/users/a", null, 200) { Batch = "b1" },
            new(T0, "PATCH", "/v1.0/users/a", "{}", 204) { Batch = "b1" },
            new(T0, "POST", "/v1.0/$batch", null, 200),
        ];

        var tally = RequestTally.Of(log);

        Assert.Equal((1, 2, 1), (tally.Requests, tally.Calls, tally.Writes));
    }

    [Theory]
    [InlineData(7_000, 0, 200)]
    [InlineData(100, 1_200, 300)]
    public void Tally_Bound_TheSlowerOfTheIdentityWriteQuotaAndTheExchangeBudget(int identityWrites, int exchangeCommands, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new RequestTally(0, identityWrites, identityWrites, exchangeCommands, 0, null).Bound);

    // Identity protection and conditional access: 1 request per second per tenant (Graph throttling limits page).
    [Fact]
    public void Tally_Bound_IdentityProtectionRequestsAtOnePerSecond() =>
        Assert.Equal(TimeSpan.FromSeconds(299), new RequestTally(300, 10, 10, 0, 0, null, IdentityProtectionRequests: 300).Bound);
}

using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>Serves the simulated tenant on loopback, so the Functions app (Graph:BaseUrl) can run against it locally.</summary>
internal static class SimServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string scenario;
        int port;
        try
        {
            var arguments = Arguments.Parse(args, new HashSet<string> { "--scenario", "--port" }, new HashSet<string>());
            scenario = arguments.Value("--scenario") ?? throw new UsageException($"--scenario is required. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            if (!Tenant.ScenarioNames.Contains(scenario))
            {
                throw new UsageException($"No scenario '{scenario}'. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            }

            port = arguments.Value("--port") is { } text
                ? int.TryParse(text, out var value) && value is >= 0 and <= 65535 ? value : throw new UsageException("--port is a number from 0 to 65535.")
                : 5077;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await using var tenant = await Tenant.StartOnLoopbackAsync(scenario, port, ct: cancellationToken);
        await output.WriteLineAsync($"Simulated tenant '{scenario}' serving Graph at {tenant.GraphBaseUrl} (state: {tenant.BaseAddress}_sim/state). Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return CommandLine.Ok;
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// A stateful stand-in for the Microsoft Graph v1.0 endpoints an incident-response playbook calls. Runs in-process
/// (TestServer, no sockets) for tests, or on 127.0.0.1 (Kestrel) for tools that need a real URL.
/// </summary>
public sealed class SimulatedTenant : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpMessageHandler> _handlerFactory;

    private SimulatedTenant(WebApplication app, Uri baseAddress, Func<HttpMessageHandler> handlerFactory, SimulatorServices services)
    {
        _app = app;
        _handlerFactory = handlerFactory;
        BaseAddress = baseAddress;
        State = services.State;
        Requests = services.Requests;
        Faults = services.Faults;
        Throttling = services.Throttle;
    }

    /// <summary>Root of the server, ending with '/', e.g. http://localhost/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>BaseAddress + "v1.0" without a trailing slash, as GraphServiceClient expects its base URL.</summary>
    public string GraphBaseUrl => new Uri(BaseAddress, "v1.0").ToString().TrimEnd('/');

    public TenantState State { get; }
    public RequestLog Requests { get; }
    public FaultInjector Faults { get; }

    /// <summary>Graph's identity and access quotas and a per-request latency; off until enabled.</summary>
    public TenantThrottle Throttling { get; }

    public static IReadOnlyList<string> ScenarioNames => ScenarioLoader.Names;

    public static Task<SimulatedTenant> StartInProcessAsync(string scenarioName, TimeProvider? time = null, CancellationToken ct = default) =>
        StartAsync(() => ScenarioLoader.Load(scenarioName), time, loopbackPort: null, ct);

    /// <summary>Starts in-process on a model built in code (e.g. <see cref="PasswordSprayScenario"/>) rather than a named scenario.</summary>
    /// <summary>A tenant as an earlier run left it: the JSON <see cref="ExportStateJson"/> wrote (e.g. a drill's --state-out).</summary>
    public static Task<SimulatedTenant> StartFromStateAsync(string stateJson, TimeProvider? time = null, CancellationToken ct = default) =>
        StartInProcessAsync(System.Text.Json.JsonSerializer.Deserialize<TenantModel>(stateJson, StateJson.Options)
            ?? throw new ArgumentException("The state is empty.", nameof(stateJson)), time, ct);

    public static Task<SimulatedTenant> StartInProcessAsync(TenantModel model, TimeProvider? time = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return StartAsync(() => model, time, loopbackPort: null, ct);
    }

    public static Task<SimulatedTenant> StartOnLoopbackAsync(string scenarioName, int port = 0, TimeProvider? time = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return StartAsync(() => ScenarioLoader.Load(scenarioName), time, port, ct);
    }

    /// <summary>The last handler of an HttpClient that reaches this server (put the Graph middleware in front of it).</summary>
    public HttpMessageHandler CreateHandler() => _handlerFactory();

    /// <summary>
    /// The transport for Azure SDK clients (ArmClient, SecretClient, the Log Analytics query client) that keep Azure's real
    /// addresses: Resource Manager, Key Vault and Log Analytics requests land on this server, any other host is refused.
    /// </summary>
    public HttpMessageHandler CreateAzureHandler() => new AzureCloud.AzureHostRouting(BaseAddress, _handlerFactory());

    public string ExportStateJson() => State.ExportJson();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<SimulatedTenant> StartAsync(Func<TenantModel> loadModel, TimeProvider? time, int? loopbackPort, CancellationToken ct)
    {
        // Load first: an unknown scenario should fail before any server starts.
        var clock = time ?? TimeProvider.System;
        var model = loadModel();
        model.Azure.ClockOrigin = clock.GetUtcNow();
        var services = new SimulatorServices(new TenantState(model), new RequestLog(), new FaultInjector(), clock);

        // The empty builder brings no configuration files, logging providers or environment lookups: the simulator
        // must behave the same on every machine and stay quiet in test output.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatedTenant).Assembly.GetName().Name });
        if (loopbackPort is { } port)
        {
            builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var app = builder.Build();
        var pipeline = new GraphPipeline(services, GraphApi.CreateRouter(), Planes.All());
        app.Run(pipeline.InvokeAsync);
        await app.StartAsync(ct);

        if (loopbackPort is null)
        {
            var server = app.GetTestServer();
            return new SimulatedTenant(app, server.BaseAddress, () => new WireCopyHandler(server.CreateHandler()), services);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        var actualPort = new Uri(address).Port;
        return new SimulatedTenant(app, new Uri($"http://127.0.0.1:{actualPort}/"),
            () => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }, services);
    }
}

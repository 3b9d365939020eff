using System.Text.Json;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>Runs Exchange Online cmdlets. <see cref="ExchangeOnlineClient"/> is the only implementation that talks to the service.</summary>
public interface IExchangeOnline
{
    /// <exception cref="ExchangeCommandException">The service refused the cmdlet or retries ran out.</exception>
    Task<ExchangeResult> InvokeAsync(ExchangeCommand command, CancellationToken cancellationToken);
}

public static class ExchangeOnlineExtensions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The cmdlet's output as <typeparamref name="T"/> (property names matched case-insensitively).</summary>
    public static async Task<IReadOnlyList<T>> InvokeAsync<T>(this IExchangeOnline exchange, ExchangeCommand command, CancellationToken cancellationToken) =>
        [.. (await exchange.InvokeAsync(command, cancellationToken)).Select(e => e.Deserialize<T>(Json)!)];
}

/// <summary>What a host without Exchange Online configured gets: every Case 4/5 step fails at planning with this reason, the others run.</summary>
public sealed class UnconfiguredExchangeOnline : IExchangeOnline
{
    public Task<ExchangeResult> InvokeAsync(ExchangeCommand command, CancellationToken cancellationToken) =>
        throw new ExchangeCommandException(command.CmdletName, null, "NotConfigured", "Configuration",
            "Exchange Online is not configured for this host (set Exchange:TenantId); do this step by hand.", isTransient: false);
}

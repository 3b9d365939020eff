using Grpc.Core;
using Microsoft.DurableTask.Client;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// Polls a running instance's custom status through the engine's client, as the status endpoint would, and keeps
/// the longest seen (Durable Functions caps it; the goal is 8,192 characters). Polling can miss a short-lived peak.
/// </summary>
internal sealed class CustomStatusSampler(DurableTaskClient client, string instanceId, TimeSpan every)
{
    public int MaxChars { get; private set; }

    public int Samples { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, stop);
                Samples++;
                MaxChars = Math.Max(MaxChars, instance?.SerializedCustomStatus?.Length ?? 0);
                if (instance?.IsCompleted == true)
                {
                    return;
                }

                await Task.Delay(every, stop);
            }
        }
        catch (Exception ex) when (stop.IsCancellationRequested
            && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The run ended: the samples so far are the answer. A call in flight when it ends is cancelled by the gRPC
            // client as an RpcException (Cancelled), not an OperationCanceledException.
        }
    }
}

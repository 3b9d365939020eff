using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// Follows Azure Resource Manager's asynchronous operations: a 201/202 (or a 200 carrying Azure-AsyncOperation) is polled
/// through <c>Azure-AsyncOperation</c> (a status body: InProgress → Succeeded | Failed | Canceled) or else <c>Location</c>
/// (202 until done), waiting what <c>Retry-After</c> says. A PUT or PATCH then reads the resource back.
/// </summary>
/// <remarks>Source: github.com/Azure/azure-resource-manager-rpc, v1.0/async-api-reference.md ("Azure-AsyncOperation", "Location", "Retry-After").</remarks>
internal sealed class ArmOperations(HttpPipeline pipeline, TimeProvider time)
{
    /// <summary>A bound on polls, so an operation stuck InProgress fails the step (transient) instead of hanging the activity.</summary>
    public const int MaxPolls = 120;

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    public async Task<JsonNode?> CompleteAsync(RequestMethod method, Uri uri, Response response, CancellationToken cancellationToken)
    {
        if (response.Status >= 400)
        {
            throw new RequestFailedException(response);
        }

        var asyncOperation = Header(response, "Azure-AsyncOperation");
        var location = Header(response, "Location");
        var body = Parse(response);
        if (response.Status is not (201 or 202) && asyncOperation is null)
        {
            return body;
        }

        if (asyncOperation is not null)
        {
            await PollStatusAsync(asyncOperation, RetryAfter(response), cancellationToken);
        }
        else if (location is not null)
        {
            var final = await PollLocationAsync(location, RetryAfter(response), cancellationToken);
            if (method == RequestMethod.Post)
            {
                return final;
            }
        }

        return method == RequestMethod.Put || method == RequestMethod.Patch ? await GetAsync(uri, cancellationToken) : body;
    }

    private async Task PollStatusAsync(Uri operation, TimeSpan wait, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            await Task.Delay(wait, time, cancellationToken);
            var (_, body, retryAfter) = await SendGetAsync(operation, cancellationToken);
            var status = body?["status"]?.GetValue<string>();
            switch (status)
            {
                case "Succeeded":
                    return;
                case "Failed" or "Canceled":
                    throw new RequestFailedException(409, $"The operation {status.ToLowerInvariant()}: {body?["error"]?["message"]}",
                        body?["error"]?["code"]?.GetValue<string>() ?? $"Operation{status}", null);
            }

            wait = retryAfter;
        }

        throw new RequestFailedException(503, $"The operation {operation.AbsolutePath} did not finish after {MaxPolls} polls.", "OperationTimedOut", null);
    }

    private async Task<JsonNode?> PollLocationAsync(Uri location, TimeSpan wait, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            await Task.Delay(wait, time, cancellationToken);
            var (status, body, retryAfter) = await SendGetAsync(location, cancellationToken);
            if (status != 202)
            {
                return body;
            }

            wait = retryAfter;
        }

        throw new RequestFailedException(503, $"The operation {location.AbsolutePath} did not finish after {MaxPolls} polls.", "OperationTimedOut", null);
    }

    private async Task<JsonNode?> GetAsync(Uri uri, CancellationToken cancellationToken) => (await SendGetAsync(uri, cancellationToken)).Body;

    /// <summary>One GET: status, body and the wait it asks for; an error status throws with ARM's error code.</summary>
    private async Task<(int Status, JsonNode? Body, TimeSpan RetryAfter)> SendGetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(uri);
        await pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        return response.Status >= 400 ? throw new RequestFailedException(response) : (response.Status, Parse(response), RetryAfter(response));
    }

    private static Uri? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static TimeSpan RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultWait;

    private static JsonNode? Parse(Response response)
    {
        var text = response.Content?.ToString();
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }
}

using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// Azure Resource Manager for Case 3: resources are read through ArmClient's <see cref="GenericResource"/>; writes and
/// resource actions (stop, deallocate, regenerateKey, listKeys…) go through a raw Azure.Core pipeline with the same
/// credential, following long-running operations (<see cref="ArmOperations"/>). Failures surface as
/// <see cref="RequestFailedException"/> carrying ARM's error code.
/// </summary>
public sealed class ArmResources
{
    private readonly ArmClient _client;
    private readonly HttpPipeline _pipeline;
    private readonly ArmOperations _operations;

    public ArmResources(AzureClients clients)
    {
        _client = clients.CreateArmClient();
        _pipeline = clients.CreatePipeline(AzureClients.ArmScope);
        _operations = new ArmOperations(_pipeline, clients.Time);
    }

    /// <summary>The resource, or null when ARM answers 404.</summary>
    public async Task<ArmResource?> FindAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetGenericResource(new ResourceIdentifier(id)).GetAsync(cancellationToken);
            return ArmResource.From(response.Value.Data);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    public async Task<ArmResource> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new RequestFailedException(404, $"{id} was not found.", "ResourceNotFound", null);

    /// <summary>GET of any ARM path (a child configuration, a list); null when it does not exist.</summary>
    public async Task<JsonNode?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(RequestMethod.Get, path, null, cancellationToken);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    public Task<JsonNode?> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Put, path, body, cancellationToken);

    public Task<JsonNode?> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Patch, path, body, cancellationToken);

    /// <summary>DELETE of a resource, once any long-running operation finished; a resource already gone (204, 404) is not an error.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(RequestMethod.Delete, path, null, cancellationToken);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
        }
    }

    /// <summary>A resource action (…/stop, …/regenerateKey): its result, once any long-running operation finished.</summary>
    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Post, path, body, cancellationToken);

    private async Task<JsonNode?> SendAsync(RequestMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var uri = UriFor(path);
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }
        else if (method == RequestMethod.Post)
        {
            message.Request.Content = RequestContent.Create(BinaryData.FromString(string.Empty));
        }

        await _pipeline.SendAsync(message, cancellationToken);
        return await _operations.CompleteAsync(method, uri, message.Response, cancellationToken);
    }

    /// <summary>The path with the api-version of its provider (the last provider segment names it).</summary>
    private static Uri UriFor(string path)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        var pathOnly = question < 0 ? path : path[..question];
        var marker = pathOnly.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        if (marker < 0)
        {
            throw new ArgumentException($"'{path}' names no resource provider.", nameof(path));
        }

        var rest = pathOnly[(marker + "/providers/".Length)..].Split('/');
        var version = ArmApiVersions.For(rest[0], rest.Length > 1 ? rest[1] : string.Empty);
        var separator = question < 0 ? "?" : "&";
        return new Uri(AzureClients.ArmEndpoint, $"{pathOnly.TrimStart('/')}{(question < 0 ? string.Empty : path[question..])}{separator}api-version={version}");
    }
}

/// <summary>What Case 3 reads of a resource: its identity and type, and its properties as ARM returned them.</summary>
public sealed record ArmResource(string Id, string Name, string Type, string? Location, string? Kind, JsonObject Properties, ArmIdentity? Identity)
{
    internal static ArmResource From(GenericResourceData data) => new(
        data.Id.ToString(),
        data.Name,
        data.ResourceType.ToString(),
        data.Location.Name,
        data.Kind,
        data.Properties is { } properties ? JsonNode.Parse(properties.ToString()) as JsonObject ?? [] : [],
        data.Identity is { } identity
            ? new ArmIdentity(identity.ManagedServiceIdentityType.ToString(), identity.PrincipalId?.ToString(), [.. identity.UserAssignedIdentities.Keys.Select(k => k.ToString())])
            : null);
}

/// <summary>A resource's managed identities: the system-assigned one's principal id and the user-assigned identities' resource ids.</summary>
public sealed record ArmIdentity(string Type, string? PrincipalId, IReadOnlyList<string> UserAssigned);

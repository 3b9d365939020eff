using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Containments;

/// <summary>
/// POST api/containments/{id}/approvals/{requestId}: an approver's decision on one pending step, raised to the
/// waiting orchestration. Body: {"decision":"approve"|"reject","comment":"...","approver":"upn"}.
/// </summary>
public sealed class DecideApproval(TimeProvider time, ContainmentState state)
{
    public const string Name = "DecideApproval";

    private const int MaxComment = 1000;
    private const int MaxApprover = 256;
    private static readonly HashSet<string> KnownProperties = ["decision", "comment", "approver"];

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Approval)] HttpRequestData request,
        string id,
        string requestId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var body = await HttpJson.ReadBodyAsync(request, cancellationToken);
        var parsed = Parse(body, Principal.NameOf(request));
        if (parsed.Problems.Count > 0)
        {
            return await Problems.InvalidRequestAsync(request, parsed.Problems, cancellationToken);
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken);
        if (instance is null)
        {
            return await Problems.NotFoundAsync(request, $"No containment '{id}'.", cancellationToken);
        }

        var statusUri = Routes.ContainmentUri(request, instance.InstanceId);
        if (!ContainmentState.IsActive(instance))
        {
            return await Problems.ConflictAsync(
                request, $"Containment '{id}' is {instance.RuntimeStatus}: it no longer takes decisions.", statusUri, cancellationToken);
        }

        var pending = (await state.ReadReportAsync(instance, cancellationToken))?.PendingApprovals ?? [];
        if (!pending.Any(p => string.Equals(p.RequestId, requestId, StringComparison.Ordinal)))
        {
            return await Problems.NotFoundAsync(
                request, $"Containment '{id}' is not waiting for a decision on '{requestId}' (already decided, timed out, or never asked).", cancellationToken);
        }

        // Two-person rules count distinct ids: every function-key caller is one and the same "person", whatever name the
        // body gives, so a second approval of a tier-0 step must come from a signed-in user.
        var decision = new ApprovalDecision(requestId, parsed.Verdict!.Value, parsed.DecidedBy!, time.GetUtcNow(), parsed.Comment)
        {
            DecidedById = Principal.NameOf(request) is null
                ? Principal.FunctionKeyCaller
                : request.Headers.TryGetValues("X-MS-CLIENT-PRINCIPAL-ID", out var ids) && ids.FirstOrDefault() is { Length: > 0 } principalId ? principalId : parsed.DecidedBy,
        };
        await client.RaiseEventAsync(instance.InstanceId, ApprovalEvents.NameFor(requestId), decision, cancellationToken);
        return await HttpJson.WriteAsync(
            request,
            HttpStatusCode.Accepted,
            new Accepted(instance.InstanceId, requestId, decision.Verdict, decision.DecidedBy, statusUri),
            cancellationToken);
    }

    internal sealed record Accepted(string Id, string RequestId, ApprovalVerdict Decision, string DecidedBy, Uri StatusUri);

    internal sealed record ParsedDecision(ApprovalVerdict? Verdict, string? DecidedBy, string? Comment, IReadOnlyList<RequestProblem> Problems);

    /// <summary>Reads the body; the signed-in principal, when there is one, is the approver whatever the body says.</summary>
    internal static ParsedDecision Parse(string? body, string? principal)
    {
        var problems = new List<RequestProblem>();
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null, null, [new("$", "The request body is empty; expected {\"decision\":\"approve\"|\"reject\", \"comment\", \"approver\"}.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return new(null, null, null, [new("$", $"The request body is not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, null, [new("$", "Expected a JSON object.")]);
            }

            foreach (var property in root.EnumerateObject().Where(p => !KnownProperties.Contains(p.Name)))
            {
                problems.Add(new(property.Name, $"Unknown property '{property.Name}'. Known: {string.Join(", ", KnownProperties)}."));
            }

            ApprovalVerdict? verdict = ReadString(root, "decision")?.Trim().ToLowerInvariant() switch
            {
                "approve" => ApprovalVerdict.Approve,
                "reject" => ApprovalVerdict.Reject,
                _ => null,
            };
            if (verdict is null)
            {
                problems.Add(new("decision", "Required: \"approve\" or \"reject\"."));
            }

            var comment = ReadString(root, "comment");
            if (root.TryGetProperty("comment", out var commentElement) && commentElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                problems.Add(new("comment", "Expected a string."));
            }
            else if (comment?.Length > MaxComment)
            {
                problems.Add(new("comment", $"At most {MaxComment} characters."));
            }

            var approver = ReadString(root, "approver");
            if (principal is null)
            {
                if (string.IsNullOrWhiteSpace(approver))
                {
                    problems.Add(new("approver", "Required when the caller is not signed in (function key): the approver's UPN."));
                }
                else if (approver.Length > MaxApprover)
                {
                    problems.Add(new("approver", $"At most {MaxApprover} characters."));
                }
            }

            return new(verdict, principal ?? approver?.Trim(), string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), problems);
        }
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}

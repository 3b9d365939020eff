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
/// POST api/containments/{id}/approvals/{requestId}: a decision taken with a function key, raised to the waiting
/// orchestration. Body: {"decision":"approve"|"reject","comment":"..."}. A function key names nobody, so the decision
/// is recorded as the key's own identity (<see cref="Principal.FunctionKeyCaller"/>), never as a name from the body
/// or a header; it never counts as a person towards a two-person rule, and approving a step that needs two people
/// (tier-0) is refused here: those approvals are given by signed-in approvers on the approval page.
/// </summary>
public sealed class DecideApproval(TimeProvider time, ContainmentState state)
{
    public const string Name = "DecideApproval";

    private const int MaxComment = 1000;
    private static readonly HashSet<string> KnownProperties = ["decision", "comment"];

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
        var parsed = Parse(body);
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

        var pending = ((await state.ReadReportAsync(instance, cancellationToken))?.PendingApprovals ?? []).FirstOrDefault(p => string.Equals(p.RequestId, requestId, StringComparison.Ordinal));
        if (pending is null)
        {
            return await Problems.NotFoundAsync(
                request, $"Containment '{id}' is not waiting for a decision on '{requestId}' (already decided, timed out, or never asked).", cancellationToken);
        }

        if (parsed.Verdict == ApprovalVerdict.Approve && pending.RequiredApprovals > 1)
        {
            return await Problems.ForbiddenAsync(request,
                $"'{requestId}' is a tier-0 step that needs {pending.RequiredApprovals} different signed-in approvers; a function key names nobody. Approve it on the approval page.",
                cancellationToken);
        }

        var decision = new ApprovalDecision(requestId, parsed.Verdict!.Value, Principal.FunctionKeyCaller, time.GetUtcNow(), parsed.Comment)
        {
            DecidedById = Principal.FunctionKeyCaller,
        };
        // The wave that asked waits for it (the containment's own id in older histories).
        await client.RaiseEventAsync(ApprovalRequest.WaitingInstanceOf(pending, instance.InstanceId), ApprovalEvents.NameFor(requestId), decision, cancellationToken);
        return await HttpJson.WriteAsync(
            request,
            HttpStatusCode.Accepted,
            new Accepted(instance.InstanceId, requestId, decision.Verdict, decision.DecidedBy, statusUri),
            cancellationToken);
    }

    internal sealed record Accepted(string Id, string RequestId, ApprovalVerdict Decision, string DecidedBy, Uri StatusUri);

    internal sealed record ParsedDecision(ApprovalVerdict? Verdict, string? Comment, IReadOnlyList<RequestProblem> Problems);

    /// <summary>Reads the body; an "approver" is refused: who decides is never taken from the body.</summary>
    internal static ParsedDecision Parse(string? body)
    {
        var problems = new List<RequestProblem>();
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null, [new("$", "The request body is empty; expected {\"decision\":\"approve\"|\"reject\", \"comment\"}.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, HttpJson.StrictDocument);
        }
        catch (JsonException ex)
        {
            return new(null, null, [new("$", $"The request body is not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, [new("$", "Expected a JSON object.")]);
            }

            foreach (var property in root.EnumerateObject().Where(p => !KnownProperties.Contains(p.Name)))
            {
                problems.Add(property.Name == "approver"
                    ? new(property.Name, "Not accepted: a function key names nobody, so the decision is recorded as the key's. Approvers sign in on the approval page.")
                    : new(property.Name, $"Unknown property '{property.Name}'. Known: {string.Join(", ", KnownProperties)}."));
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

            return new(verdict, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), problems);
        }
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}

using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.InProcess;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>Answers each request from a script keyed by sheet action id; unscripted actions get the default. Null means "no answer": a timeout.</summary>
internal sealed class ScriptedApprovalChannel(ApprovalVerdict? defaultVerdict, string approver = "analyst@contoso.onmicrosoft.com") : IApprovalChannel
{
    private readonly Dictionary<string, ApprovalVerdict?> _script = [];

    public List<ApprovalRequest> Asked { get; } = [];

    public ScriptedApprovalChannel On(string action, ApprovalVerdict? verdict)
    {
        _script[action] = verdict;
        return this;
    }

    public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Asked.Add(request);
        var verdict = _script.TryGetValue(request.Action.Value, out var scripted) ? scripted : defaultVerdict;
        return Task.FromResult(verdict is { } v
            ? new ApprovalDecision(request.RequestId, v, approver, DateTimeOffset.UtcNow, $"scripted {v}")
            : null);
    }
}

using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.InProcess;

namespace ResponseFunctions.Cli.Terminal;

/// <summary>"--approve ask": shows each request with its changes and evidence and reads y/n. No answer (or end of input) before the deadline is a timeout.</summary>
internal sealed class ConsoleApprovalChannel(TextReader input, TextWriter output, string approver, TimeProvider time) : IApprovalChannel
{
    public async Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"APPROVAL {request.RequestId}: {request.Action} {request.Title} — {request.Target}");
        await output.WriteLineAsync($"  {request.Summary}");
        foreach (var change in request.Changes)
        {
            await output.WriteLineAsync($"  change:   {change.Description}");
        }

        foreach (var evidence in request.Evidence)
        {
            await output.WriteLineAsync($"  evidence: {evidence.Label}: {evidence.Value}");
        }

        foreach (var warning in request.Warnings)
        {
            await output.WriteLineAsync($"  warning:  {warning}");
        }

        await output.WriteAsync($"  {(request.Reversible ? "Reversible" : "NOT reversible")}. Approve? [y/N] (deadline {request.Deadline:u}) ");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? answer;
        try
        {
            answer = await input.ReadLineAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            answer = null;
        }

        if (answer is null)
        {
            await output.WriteLineAsync();
            return null;
        }

        var approved = answer.Trim() is "y" or "Y" or "yes" or "oui" or "o";
        return new ApprovalDecision(request.RequestId, approved ? ApprovalVerdict.Approve : ApprovalVerdict.Reject, approver, time.GetUtcNow(), null);
    }
}

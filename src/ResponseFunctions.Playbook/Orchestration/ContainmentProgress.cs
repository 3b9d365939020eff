using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The orchestration's running report. The full report stays in the orchestration (and is its output); what it
/// publishes as custom status while running is the bounded <see cref="ContainmentStatus"/>.
/// </summary>
internal sealed class ContainmentProgress
{
    private readonly TaskOrchestrationContext _context;
    private readonly ContainmentRequest _request;
    private readonly IReadOnlyList<UnresolvedTarget> _unresolved;
    private readonly List<StepReport> _steps;
    private readonly SortedDictionary<int, ApprovalRequest> _pending = [];
    private ContainmentPhase _phase = ContainmentPhase.Planning;

    public ContainmentProgress(TaskOrchestrationContext context, ContainmentRequest request, PreparedContainment prepared)
    {
        _context = context;
        _request = request;
        _unresolved = prepared.Unresolved;
        _steps = [.. prepared.Steps.Select(s =>
        {
            var descriptor = ActionCatalog.Get(s.Action);
            return new StepReport(s.Index, s.Action, descriptor.Title, descriptor.Priority, s.Target);
        })];
        Publish(ContainmentPhase.Planning);
    }

    public void Update(int stepIndex, Func<StepReport, StepReport> change)
    {
        var position = _steps.FindIndex(s => s.Index == stepIndex);
        _steps[position] = change(_steps[position]);
        PublishStatus();
    }

    public void AddPending(IEnumerable<ApprovalRequest> requests)
    {
        foreach (var request in requests)
        {
            _pending[request.StepIndex] = request;
        }

        PublishStatus();
    }

    public void Resolve(int stepIndex, ApprovalOutcome outcome, string decidedBy)
    {
        _pending.Remove(stepIndex);
        Update(stepIndex, r => r with { Approval = outcome, DecidedBy = decidedBy });
    }

    /// <summary>Enters <paramref name="phase"/> and returns the full report as it stands (for the incident's comments and the output).</summary>
    public ContainmentReport Publish(ContainmentPhase phase)
    {
        _phase = phase;
        PublishStatus();
        return new ContainmentReport(_context.InstanceId, _request.IncidentId, _request.Mode, phase, [.. _steps], _unresolved,
            [.. _pending.Values]);
    }

    private void PublishStatus() => _context.SetCustomStatus(ContainmentStatus.Of(_request, _phase, _steps, _pending.Values));
}

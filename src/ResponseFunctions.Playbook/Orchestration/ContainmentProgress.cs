using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>The orchestration's running report: step results and pending approvals, published through the context as they change.</summary>
internal sealed class ContainmentProgress
{
    private readonly IContainmentContext _context;
    private readonly ContainmentRequest _request;
    private readonly IReadOnlyList<UnresolvedTarget> _unresolved;
    private readonly List<StepReport> _steps;
    private readonly Dictionary<int, ApprovalRequest> _pending = [];
    private ContainmentPhase _phase = ContainmentPhase.Planning;

    public ContainmentProgress(IContainmentContext context, ContainmentRequest request, PreparedContainment prepared)
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
        Publish(_phase);
    }

    public void SetPending(IEnumerable<ApprovalRequest> requests)
    {
        foreach (var request in requests)
        {
            _pending[request.StepIndex] = request;
        }

        Publish(_phase);
    }

    public void Resolve(int stepIndex, ApprovalOutcome outcome, string decidedBy)
    {
        _pending.Remove(stepIndex);
        Update(stepIndex, r => r with { Approval = outcome, DecidedBy = decidedBy });
    }

    public ContainmentReport Publish(ContainmentPhase phase)
    {
        _phase = phase;
        var report = new ContainmentReport(_context.InstanceId, _request.IncidentId, _request.Mode, phase, [.. _steps], _unresolved,
            [.. _pending.OrderBy(p => p.Key).Select(p => p.Value)]);
        _context.SetStatus(report);
        return report;
    }
}

namespace ResponseFunctions.SimulatedTenant;

/// <summary>Holds the active fault rules; the first rule that matches a request (and still has uses left) applies.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveRule> _rules = [];

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(rule.PathContains);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Times, 1);
        if (rule.StatusCode == 0 && rule.Latency is null)
        {
            throw new ArgumentException("A fault rule needs a status code, a latency, or both.", nameof(rule));
        }

        if (rule.StatusCode != 0 && rule.StatusCode is < 400 or > 599)
        {
            throw new ArgumentException("Fault status codes must be 4xx or 5xx (or 0 for latency only).", nameof(rule));
        }

        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule, rule.Times));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Rules still active, with their remaining uses, for diagnostics.</summary>
    public IReadOnlyList<(FaultRule Rule, int Remaining)> Active()
    {
        lock (_gate)
        {
            return _rules.Select(r => (r.Rule, r.Remaining)).ToList();
        }
    }

    /// <summary>Finds and consumes the first matching rule. <paramref name="cmdlet"/> is the InvokeCommand cmdlet, if any.</summary>
    internal FaultRule? Take(string method, string decodedPathAndQuery, string? cmdlet = null)
    {
        lock (_gate)
        {
            var match = _rules.FirstOrDefault(r =>
                (r.Rule.Method is null || string.Equals(r.Rule.Method, method, StringComparison.OrdinalIgnoreCase))
                && decodedPathAndQuery.Contains(r.Rule.PathContains, StringComparison.OrdinalIgnoreCase)
                && (r.Rule.Cmdlet is null || string.Equals(r.Rule.Cmdlet, cmdlet, StringComparison.OrdinalIgnoreCase)));
            if (match is null)
            {
                return null;
            }

            match.Remaining--;
            if (match.Remaining <= 0)
            {
                _rules.Remove(match);
            }

            return match.Rule;
        }
    }

    private sealed class ActiveRule(FaultRule rule, int remaining)
    {
        public FaultRule Rule { get; } = rule;
        public int Remaining { get; set; } = remaining;
    }
}

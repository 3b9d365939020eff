namespace ResponseFunctions.Playbook.Requests;

/// <summary>One reason a request was refused, naming the offending field by its JSON path (e.g. "targets.ips[1]").</summary>
public sealed record RequestProblem(string Field, string Message);

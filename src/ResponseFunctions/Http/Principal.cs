namespace ResponseFunctions.Http;

/// <summary>Who is calling on the function-key routes: a key names nobody, so the caller is recorded as the key's holder.</summary>
internal static class Principal
{
    /// <summary>The identity recorded for every function-key caller; never a person, never one of two approvers.</summary>
    public const string FunctionKeyCaller = Playbook.Approval.ApprovalDecision.FunctionKeyIdentity;
}

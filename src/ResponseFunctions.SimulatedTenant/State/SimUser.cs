namespace ResponseFunctions.SimulatedTenant;

public sealed class SimUser
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string UserPrincipalName { get; set; } = "";
    public string? Mail { get; set; }
    public bool AccountEnabled { get; set; } = true;

    /// <summary>True for users mastered in on-prem AD: Graph refuses to change their password or accountEnabled.</summary>
    public bool? OnPremisesSyncEnabled { get; set; }

    public string UserType { get; set; } = "Member";
    public DateTimeOffset? SignInSessionsValidFromDateTime { get; set; }

    /// <summary>When the password last changed. The password itself is never stored anywhere.</summary>
    public DateTimeOffset? LastPasswordChangeDateTime { get; set; }

    public bool ForceChangePasswordNextSignIn { get; set; }
    public bool ForceChangePasswordNextSignInWithMfa { get; set; }

    /// <summary>Id of the user's default (preferred) sign-in method; null when none is set.</summary>
    public string? DefaultAuthenticationMethodId { get; set; }

    public List<SimAuthenticationMethod> AuthenticationMethods { get; set; } = [];
}

using Microsoft.Graph.Models;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>The account properties Case 1 reads and changes: its journaled before/after state. Never a password.</summary>
public sealed record UserState(
    string Id,
    string UserPrincipalName,
    bool? AccountEnabled,
    bool? OnPremisesSyncEnabled,
    DateTimeOffset? SignInSessionsValidFrom,
    DateTimeOffset? LastPasswordChange)
{
    public bool IsSynced => OnPremisesSyncEnabled == true;

    public static UserState Of(User user) => new(
        user.Id ?? throw new ArgumentException("User without id.", nameof(user)),
        user.UserPrincipalName ?? user.Id,
        user.AccountEnabled,
        user.OnPremisesSyncEnabled,
        user.SignInSessionsValidFromDateTime,
        user.LastPasswordChangeDateTime);
}

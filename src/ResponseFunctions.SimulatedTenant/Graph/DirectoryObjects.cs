using Microsoft.Graph.Models;

namespace ResponseFunctions.SimulatedTenant.Graph;

/// <summary>Maps state records to the SDK's directory object models (users, groups).</summary>
internal static class DirectoryObjects
{
    public static User ToGraph(SimUser u) => new()
    {
        Id = u.Id,
        DisplayName = u.DisplayName,
        UserPrincipalName = u.UserPrincipalName,
        Mail = u.Mail,
        AccountEnabled = u.AccountEnabled,
        OnPremisesSyncEnabled = u.OnPremisesSyncEnabled,
        UserType = u.UserType,
        SignInSessionsValidFromDateTime = u.SignInSessionsValidFromDateTime,
        LastPasswordChangeDateTime = u.LastPasswordChangeDateTime,
    };

    public static Group ToGraph(SimGroup g) => new()
    {
        Id = g.Id,
        DisplayName = g.DisplayName,
        Description = g.Description,
        IsAssignableToRole = g.IsAssignableToRole,
        SecurityEnabled = g.SecurityEnabled,
        MailEnabled = g.MailEnabled,
        GroupTypes = [],
    };

    /// <summary>A member id resolved to its user or group; unknown ids (dangling references) are skipped.</summary>
    public static DirectoryObject? Resolve(TenantModel model, string id) =>
        model.Users.FirstOrDefault(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase)) is { } user
            ? ToGraph(user)
            : model.FindGroup(id) is { } group ? ToGraph(group) : null;
}

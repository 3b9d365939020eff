using Microsoft.Graph.Models;

namespace ResponseFunctions.SimulatedTenant.Graph.RoleManagement;

/// <summary>Maps role records to the SDK's unifiedRole* models.</summary>
internal static class RoleModels
{
    public static UnifiedRoleDefinition ToGraph(SimRoleDefinition d) => new()
    {
        Id = d.Id,
        TemplateId = d.Id,
        DisplayName = d.DisplayName,
        Description = d.Description,
        IsBuiltIn = d.IsBuiltIn,
        IsEnabled = d.IsEnabled,
        RolePermissions = [],

        // v1.0 returns isPrivileged but SDK 5.92 has no property for it: carry it as additional data.
        AdditionalData = new Dictionary<string, object> { ["isPrivileged"] = d.IsPrivileged },
    };

    public static UnifiedRoleAssignment ToGraph(SimRoleAssignment a, TenantModel model, bool expand) => new()
    {
        Id = a.Id,
        PrincipalId = a.PrincipalId,
        RoleDefinitionId = a.RoleDefinitionId,
        DirectoryScopeId = a.DirectoryScopeId,
        RoleDefinition = expand ? Definition(model, a.RoleDefinitionId) : null,
    };

    public static UnifiedRoleAssignmentScheduleInstance ToScheduleInstance(SimRoleAssignment a) => new()
    {
        Id = a.Id,
        PrincipalId = a.PrincipalId,
        RoleDefinitionId = a.RoleDefinitionId,
        DirectoryScopeId = a.DirectoryScopeId,
        AssignmentType = a.AssignmentType,
        MemberType = "Direct",
        EndDateTime = a.EndDateTime,
        RoleAssignmentOriginId = a.Id,
        RoleAssignmentScheduleId = a.FromSchedule ? a.Id : null,
    };

    public static UnifiedRoleEligibilitySchedule ToGraph(SimRoleEligibilitySchedule s, TenantModel model, bool expand) => new()
    {
        Id = s.Id,
        PrincipalId = s.PrincipalId,
        RoleDefinitionId = s.RoleDefinitionId,
        DirectoryScopeId = s.DirectoryScopeId,
        MemberType = s.MemberType,
        Status = s.Status,
        CreatedUsing = s.Id,
        CreatedDateTime = s.CreatedDateTime,
        ScheduleInfo = new RequestSchedule
        {
            StartDateTime = s.StartDateTime ?? s.CreatedDateTime,
            Expiration = new ExpirationPattern { Type = ExpirationPatternType.NoExpiration },
        },
        RoleDefinition = expand ? Definition(model, s.RoleDefinitionId) : null,
    };

    public static UnifiedRoleEligibilityScheduleRequest ToGraph(SimRoleEligibilityScheduleRequest r) => new()
    {
        Id = r.Id,
        Action = r.Action == "adminAssign" ? UnifiedRoleScheduleRequestActions.AdminAssign : UnifiedRoleScheduleRequestActions.AdminRemove,
        Status = r.Status,
        PrincipalId = r.PrincipalId,
        RoleDefinitionId = r.RoleDefinitionId,
        DirectoryScopeId = r.DirectoryScopeId,
        Justification = r.Justification,
        TargetScheduleId = r.TargetScheduleId,
        IsValidationOnly = false,
        CreatedDateTime = r.CreatedDateTime,
        CompletedDateTime = r.CreatedDateTime,
    };

    private static UnifiedRoleDefinition? Definition(TenantModel model, string id) =>
        model.FindRoleDefinition(id) is { } definition ? ToGraph(definition) : null;
}

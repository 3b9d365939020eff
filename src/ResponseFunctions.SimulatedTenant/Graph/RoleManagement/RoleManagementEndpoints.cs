using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.RoleManagement;

/// <summary>/roleManagement/directory: definitions, active assignments, eligibility schedules and their removal.</summary>
internal static class RoleManagementEndpoints
{
    private const string Root = "roleManagement/directory";

    private static readonly Dictionary<string, Func<SimRoleDefinition, string?>> DefinitionFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = d => d.Id,
        ["templateId"] = d => d.Id,
        ["displayName"] = d => d.DisplayName,
    };

    private static readonly Dictionary<string, Func<SimRoleAssignment, string?>> AssignmentFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["principalId"] = a => a.PrincipalId,
        ["roleDefinitionId"] = a => a.RoleDefinitionId,
        ["directoryScopeId"] = a => a.DirectoryScopeId,
    };

    /// <summary>
    /// Graph v1.0 unifiedRoleAssignment: principalId, roleDefinitionId and directoryScopeId "Support $filter (eq, in)".
    /// unifiedRoleEligibilitySchedule's principalId supports only eq and ne: no "in" there.
    /// </summary>
    private static readonly HashSet<string> AssignmentInFilters = new(["principalId", "roleDefinitionId", "directoryScopeId"], StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, Func<SimRoleEligibilitySchedule, string?>> ScheduleFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["principalId"] = s => s.PrincipalId,
        ["roleDefinitionId"] = s => s.RoleDefinitionId,
        ["directoryScopeId"] = s => s.DirectoryScopeId,
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", $"{Root}/roleDefinitions", ListDefinitions)
        .Map("GET", $"{Root}/roleDefinitions/{{id}}", GetDefinition)
        .Map("GET", $"{Root}/roleAssignments", ListAssignments)
        .Map("GET", $"{Root}/roleAssignments/{{id}}", GetAssignment)
        .Map("DELETE", $"{Root}/roleAssignments/{{id}}", DeleteAssignment)
        .Map("GET", $"{Root}/roleEligibilitySchedules", ListEligibilitySchedules)
        .Map("GET", $"{Root}/roleEligibilitySchedules/{{id}}", GetEligibilitySchedule)
        .Map("POST", $"{Root}/roleEligibilityScheduleRequests", CreateEligibilityScheduleRequest)
        .Map("GET", $"{Root}/roleAssignmentScheduleInstances", ListAssignmentScheduleInstances)
        .Map("POST", $"{Root}/roleAssignmentScheduleRequests", CreateAssignmentScheduleRequest);

    private static GraphResponse ListDefinitions(GraphRequest request)
    {
        var definitions = request.State.Read(m => request.OData.Apply(m.RoleDefinitions, DefinitionFilters).Select(RoleModels.ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(definitions, $"{Root}/roleDefinitions"));
    }

    private static GraphResponse GetDefinition(GraphRequest request)
    {
        var definition = request.State.Read(m => m.FindRoleDefinition(request["id"]) is { } d ? RoleModels.ToGraph(d) : null)
            ?? throw GraphException.ResourceNotFound($"The role definition '{request["id"]}' does not exist.");
        return GraphResponse.Ok(GraphJson.Entity(definition, $"{Root}/roleDefinitions/$entity"));
    }

    private static GraphResponse ListAssignments(GraphRequest request)
    {
        var expand = request.OData.Expands("roleDefinition");
        var assignments = request.State.Read(m => request.OData.Apply(m.RoleAssignments, AssignmentFilters, inFilterable: AssignmentInFilters)
            .Select(a => RoleModels.ToGraph(a, m, expand))
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(assignments, $"{Root}/roleAssignments"));
    }

    private static GraphResponse GetAssignment(GraphRequest request)
    {
        var expand = request.OData.Expands("roleDefinition");
        var assignment = request.State.Read(m => FindAssignment(m, request["id"]) is { } a ? RoleModels.ToGraph(a, m, expand) : null)
            ?? throw AssignmentNotFound(request["id"]);
        return GraphResponse.Ok(GraphJson.Entity(assignment, $"{Root}/roleAssignments/$entity"));
    }

    /// <summary>
    /// Refused for an assignment PIM manages through a schedule (activated or time-bound), as the service does: those
    /// go through roleAssignmentScheduleRequests adminRemove. Source: "Remove a PIM-managed active (time-bound/activated)
    /// assignment" — Graph docs rbacapplication-post-roleassignmentschedulerequests; ../shared/reference/microsoft-apis.md §1.f, §10b.
    /// </summary>
    private static GraphResponse DeleteAssignment(GraphRequest request)
    {
        request.State.Mutate(m =>
        {
            var assignment = FindAssignment(m, request["id"]) ?? throw AssignmentNotFound(request["id"]);
            if (assignment.FromSchedule)
            {
                throw GraphException.BadRequest(
                    $"The role assignment '{assignment.Id}' is managed by Privileged Identity Management ({assignment.AssignmentType}{(assignment.EndDateTime is { } end ? $", ends {end:u}" : "")}): remove it with a roleAssignmentScheduleRequest (adminRemove).");
            }

            m.RoleAssignments.Remove(assignment);
        });
        return GraphResponse.NoContent();
    }

    /// <summary>Every active assignment as PIM sees it (unifiedRoleAssignmentScheduleInstance): assignmentType, endDateTime, origin.</summary>
    private static GraphResponse ListAssignmentScheduleInstances(GraphRequest request)
    {
        var instances = request.State.Read(m => request.OData.Apply(m.RoleAssignments, AssignmentFilters).Select(RoleModels.ToScheduleInstance).ToList());
        return GraphResponse.Ok(GraphJson.Collection(instances, $"{Root}/roleAssignmentScheduleInstances"));
    }

    /// <summary>Only "adminRemove" is simulated: it removes an active assignment, schedule-managed or not.</summary>
    private static GraphResponse CreateAssignmentScheduleRequest(GraphRequest request)
    {
        var body = request.BodyAs(UnifiedRoleAssignmentScheduleRequest.CreateFromDiscriminatorValue);
        if (body.Action != UnifiedRoleScheduleRequestActions.AdminRemove)
        {
            throw GraphException.Unsupported($"roleAssignmentScheduleRequests action '{request.BodyObject()["action"]}' (only adminRemove is simulated)");
        }

        if (string.IsNullOrWhiteSpace(body.PrincipalId) || string.IsNullOrWhiteSpace(body.RoleDefinitionId) || string.IsNullOrWhiteSpace(body.DirectoryScopeId))
        {
            throw GraphException.BadRequest("principalId, roleDefinitionId and directoryScopeId are required.");
        }

        var created = request.State.Mutate(m =>
        {
            var assignment = m.RoleAssignments.FirstOrDefault(a =>
                    string.Equals(a.PrincipalId, body.PrincipalId, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(a.RoleDefinitionId, body.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(a.DirectoryScopeId, body.DirectoryScopeId, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphException.ResourceNotFound("The role assignment schedule does not exist");
            m.RoleAssignments.Remove(assignment);
            m.RoleAssignmentScheduleRequests.Add(assignment.Id);
            return new UnifiedRoleAssignmentScheduleRequest
            {
                Id = Guid.NewGuid().ToString(),
                Action = UnifiedRoleScheduleRequestActions.AdminRemove,
                Status = "Revoked",
                PrincipalId = assignment.PrincipalId,
                RoleDefinitionId = assignment.RoleDefinitionId,
                DirectoryScopeId = assignment.DirectoryScopeId,
                Justification = body.Justification,
                TargetScheduleId = assignment.Id,
                IsValidationOnly = false,
                CreatedDateTime = request.Now,
                CompletedDateTime = request.Now,
            };
        });
        return GraphResponse.Created(GraphJson.Entity(created, $"{Root}/roleAssignmentScheduleRequests/$entity"));
    }

    private static GraphResponse ListEligibilitySchedules(GraphRequest request)
    {
        var expand = request.OData.Expands("roleDefinition");
        var schedules = request.State.Read(m => request.OData.Apply(m.RoleEligibilitySchedules, ScheduleFilters)
            .Select(s => RoleModels.ToGraph(s, m, expand))
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(schedules, $"{Root}/roleEligibilitySchedules"));
    }

    private static GraphResponse GetEligibilitySchedule(GraphRequest request)
    {
        var expand = request.OData.Expands("roleDefinition");
        var schedule = request.State.Read(m =>
                m.RoleEligibilitySchedules.FirstOrDefault(s => string.Equals(s.Id, request["id"], StringComparison.OrdinalIgnoreCase)) is { } s
                    ? RoleModels.ToGraph(s, m, expand)
                    : null)
            ?? throw GraphException.ResourceNotFound($"The role eligibility schedule '{request["id"]}' does not exist.");
        return GraphResponse.Ok(GraphJson.Entity(schedule, $"{Root}/roleEligibilitySchedules/$entity"));
    }

    /// <summary>"adminRemove" strips an attacker-created eligibility (1.f); "adminAssign" re-grants one (release): <see cref="RoleEligibilityAssignment"/>.</summary>
    private static GraphResponse CreateEligibilityScheduleRequest(GraphRequest request)
    {
        var body = request.BodyAs(UnifiedRoleEligibilityScheduleRequest.CreateFromDiscriminatorValue);
        if (body.Action == UnifiedRoleScheduleRequestActions.AdminAssign)
        {
            return RoleEligibilityAssignment.Assign(request, body, Root);
        }

        if (body.Action != UnifiedRoleScheduleRequestActions.AdminRemove)
        {
            throw GraphException.Unsupported(
                $"roleEligibilityScheduleRequests action '{request.BodyObject()["action"]}' (only adminRemove and adminAssign are simulated)");
        }

        if (string.IsNullOrWhiteSpace(body.PrincipalId) || string.IsNullOrWhiteSpace(body.RoleDefinitionId))
        {
            throw GraphException.BadRequest("principalId and roleDefinitionId are required.");
        }

        var scope = string.IsNullOrWhiteSpace(body.DirectoryScopeId) ? "/" : body.DirectoryScopeId;
        var recorded = request.State.Mutate(m =>
        {
            var schedule = m.RoleEligibilitySchedules.FirstOrDefault(s =>
                    string.Equals(s.PrincipalId, body.PrincipalId, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(s.RoleDefinitionId, body.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(s.DirectoryScopeId, scope, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphException.ResourceNotFound("The role eligibility schedule does not exist");

            m.RoleEligibilitySchedules.Remove(schedule);
            var record = new SimRoleEligibilityScheduleRequest
            {
                Id = Guid.NewGuid().ToString(),
                Action = "adminRemove",
                Status = "Revoked",
                PrincipalId = schedule.PrincipalId,
                RoleDefinitionId = schedule.RoleDefinitionId,
                DirectoryScopeId = schedule.DirectoryScopeId,
                Justification = body.Justification,
                TargetScheduleId = schedule.Id,
                CreatedDateTime = request.Now,
            };
            m.RoleEligibilityScheduleRequests.Add(record);
            return RoleModels.ToGraph(record);
        });
        return GraphResponse.Created(GraphJson.Entity(recorded, $"{Root}/roleEligibilityScheduleRequests/$entity"));
    }

    private static SimRoleAssignment? FindAssignment(TenantModel model, string id) =>
        model.RoleAssignments.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));

    private static GraphException AssignmentNotFound(string id) =>
        GraphException.ResourceNotFound($"The role assignment '{id}' does not exist.");
}

// Deployed to the Sentinel workspace's resource group: the automation rules that run the relay on incident creation
// and update, and the Microsoft Sentinel Responder role for the relay (trigger, incident reads) and for the app (its
// three incident comments).
// Sources: "Automate threat response in Microsoft Sentinel with automation rules", REST "Automation Rules - Create Or
// Update" (Microsoft.SecurityInsights 2023-02-01: triggersOn Incidents, triggersWhen Created|Updated, condition
// property IncidentRelatedAnalyticRuleIds, action RunPlaybook), "Roles and permissions in Microsoft Sentinel".
@description('Name of the Log Analytics workspace Microsoft Sentinel runs on.')
param workspaceName string

@description('Resource id of the relay Logic App.')
param relayResourceId string

@description('Principal id of the relay Logic App\'s identity.')
param relayPrincipalId string

@description('Principal id of the app\'s identity (writes comments on incidents).')
param appPrincipalId string

@description('Resource ids of the analytics rules whose incidents start a containment; empty: every incident.')
param analyticsRuleIds array = []

@description('Order of the automation rules among the workspace\'s (1-1000).')
@minValue(1)
@maxValue(1000)
param order int = 100

var sentinelResponderRoleId = '3e150937-b8fe-4cfb-8069-0eaf05ecd056'
var conditions = empty(analyticsRuleIds) ? [] : [
  {
    conditionType: 'Property'
    conditionProperties: {
      propertyName: 'IncidentRelatedAnalyticRuleIds'
      operator: 'Contains'
      propertyValues: analyticsRuleIds
    }
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// Created starts the containment; Updated lets the intake journal targets added to the incident later.
resource runRelay 'Microsoft.SecurityInsights/automationRules@2023-02-01' = [for when in [ 'Created', 'Updated' ]: {
  scope: workspace
  name: guid(workspace.id, relayResourceId, when)
  properties: {
    displayName: 'ResponseFunctions containment (incident ${toLower(when)})'
    order: order
    triggeringLogic: {
      isEnabled: true
      triggersOn: 'Incidents'
      triggersWhen: when
      conditions: conditions
    }
    actions: [
      {
        order: 1
        actionType: 'RunPlaybook'
        actionConfiguration: {
          logicAppResourceId: relayResourceId
          tenantId: tenant().tenantId
        }
      }
    ]
  }
}]

resource responders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in [ relayPrincipalId, appPrincipalId ]: {
  scope: workspace
  name: guid(workspace.id, principalId, sentinelResponderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', sentinelResponderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// Lets Microsoft Sentinel run playbooks in the relay's resource group: Microsoft Sentinel Automation Contributor for
// the "Azure Security Insights" service principal (first-party app 98785600-1bb7-4fb9-b9fa-19afe2c8a360; its object id
// differs per tenant). The portal does the same under Settings > Playbook permissions.
// Source: "Automate threat response with playbooks in Microsoft Sentinel: permissions to run playbooks".
@description('Object id of the Azure Security Insights service principal in this tenant.')
param securityInsightsPrincipalId string

var automationContributorRoleId = 'f4c81013-99ee-4d62-a7ee-b3f1f648599a'

resource runPlaybooks 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, securityInsightsPrincipalId, automationContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', automationContributorRoleId)
    principalId: securityInsightsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

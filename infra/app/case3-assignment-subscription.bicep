targetScope = 'subscription'

// Assigns the Case 3 role to the app's identity on a whole subscription.
@description('Resource id of the Case 3 role definition.')
param roleDefinitionId string

@description('Principal id of the app\'s identity.')
param principalId string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionId)
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

targetScope = 'subscription'

// The custom Azure RBAC role Case 3 needs, exactly the actions of infra/roles/case3-responder.json (the list the
// Case 3 actions document), assignable at the scopes the user names. No secret value is ever read: Key Vault data
// actions stop at metadata, set and update (disable old versions).
// Source: "Azure custom roles" and "Microsoft.Authorization/roleDefinitions" (learn.microsoft.com).
@description('Scopes the role may be assigned at (/subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>).')
param assignableScopes array

var role = loadJsonContent('../roles/case3-responder.json')

resource definition 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, role.Name)
  properties: {
    roleName: role.Name
    description: role.Description
    type: 'customRole'
    permissions: [
      {
        actions: role.Actions
        notActions: role.NotActions
        dataActions: role.DataActions
        notDataActions: role.NotDataActions
      }
    ]
    assignableScopes: union([ subscription().id ], assignableScopes)
  }
}

@description('Resource id of the role definition.')
output roleDefinitionId string = definition.id

// The playbook's identity: one user-assigned managed identity for the Function App (Graph, Exchange, ARM, storage, Key Vault).
// User-assigned so its object id exists before the app and survives re-creating it (the postprovision hook grants Entra
// permissions to it).
@description('Name of the user-assigned managed identity.')
param name string

@description('Location of the identity.')
param location string

@description('Tags of the resource.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output resourceId string = identity.id

@description('Object (principal) id of the identity: what Entra permissions and Azure roles are granted to.')
output principalId string = identity.properties.principalId

@description('Client id of the identity: ManagedIdentityClientId for Azure.Identity.')
output clientId string = identity.properties.clientId

@description('Name of the identity.')
output name string = identity.name

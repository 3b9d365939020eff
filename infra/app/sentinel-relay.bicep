// The relay Logic App of infra/logicapp: Microsoft Sentinel incident trigger -> function key from Key Vault ->
// POST /api/intake/sentinel. Its system-assigned identity signs in to the Sentinel connector (managed identity API
// connection) and reads only the intake key secret.
// Sources: "Authenticate playbooks to Microsoft Sentinel" (managed identity), "Authenticate access to Azure resources
// with managed identities in Azure Logic Apps" (parameterValueType Alternative).
@description('Name of the Logic App.')
param name string

@description('Name of the Microsoft Sentinel API connection.')
param connectionName string

@description('Location of the resources.')
param location string

@description('Tags of the resources.')
param tags object = {}

@description('URL of the intake route, https://<app>/api/intake/sentinel.')
param intakeUrl string

@description('Name of the Key Vault holding the intake function key.')
param keyVaultName string

@description('Name of the intake function key secret.')
param intakeKeySecretName string

var workflow = loadJsonContent('../logicapp/sentinel-relay.workflow.json')
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName

  resource intakeKey 'secrets' existing = {
    name: intakeKeySecretName
  }
}

resource connection 'Microsoft.Web/connections@2016-06-01' = {
  name: connectionName
  location: location
  tags: tags
  properties: {
    displayName: connectionName
    api: { id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'azuresentinel') }
    // Managed identity connection. The Bicep type lacks this documented property ("Authenticate access and connections
    // to Azure resources with managed identities in Azure Logic Apps": parameterValueType Alternative).
    #disable-next-line BCP037
    parameterValueType: 'Alternative'
  }
}

resource relay 'Microsoft.Logic/workflows@2019-05-01' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    state: 'Enabled'
    definition: workflow.definition
    parameters: {
      '$connections': {
        value: {
          azuresentinel: {
            connectionId: connection.id
            connectionName: connection.name
            id: connection.properties.api.id
            connectionProperties: { authentication: { type: 'ManagedServiceIdentity' } }
          }
        }
      }
      intakeUrl: { value: intakeUrl }
      keyVaultName: { value: keyVaultName }
      functionKeySecretName: { value: intakeKeySecretName }
    }
  }
}

// Least privilege: the relay may read that one secret, not the vault.
resource readsIntakeKey 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault::intakeKey
  name: guid(vault::intakeKey.id, relay.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: relay.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Resource id of the Logic App (what the automation rule runs).')
output resourceId string = relay.id

@description('Principal id of the Logic App\'s identity (Microsoft Sentinel Responder on the workspace).')
output principalId string = relay.identity.principalId

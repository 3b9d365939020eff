// Key Vault for the app's secrets: the approval-link signing key, the Teams Workflows webhook URL (it carries a
// signature) and the intake function key the relay Logic App reads. RBAC authorization, purge protection.
// The app reads secrets through Key Vault references (app settings hold only the reference, never the value).
// Source: "Use Key Vault references as app settings in Azure App Service and Azure Functions" (learn.microsoft.com).
@description('Name of the vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Location of the vault.')
param location string

@description('Tags of the resource.')
param tags object = {}

@description('Principal id of the app\'s managed identity: Key Vault Secrets User on the vault (to resolve its references).')
param appPrincipalId string

@description('Approval-link signing key: base64 of at least 32 random bytes.')
@secure()
param approvalSigningKey string

@description('Main courante chain key (HMAC): base64 of at least 32 random bytes, held here and never in the journal storage account.')
@secure()
param journalChainKey string

@description('Teams Workflows webhook URL; empty: approvals are not posted to Teams.')
@secure()
param teamsWebhookUrl string = ''

@description('Function key the relay Logic App sends to POST /api/intake/sentinel.')
@secure()
param intakeFunctionKey string

// Built-in role: Key Vault Secrets User (read secret values). Source: "Azure built-in roles" (learn.microsoft.com).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'approval-signing-key'
  properties: { value: approvalSigningKey, contentType: 'base64' }
}

resource chainKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'journal-chain-key'
  properties: { value: journalChainKey, contentType: 'base64' }
}

resource teamsWebhook 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: 'teams-webhook-url'
  properties: { value: teamsWebhookUrl, contentType: 'url' }
}

resource intakeKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'responsefunctions-intake-key'
  properties: { value: intakeFunctionKey }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, appPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Resource id of the vault.')
output resourceId string = vault.id

@description('URI of the signing key secret (no version: the app follows rotations).')
output signingKeySecretUri string = '${vault.properties.vaultUri}secrets/${signingKey.name}'
output chainKeySecretUri string = '${vault.properties.vaultUri}secrets/${chainKey.name}'

@description('URI of the vault (https://<name>.vault.azure.net/).')
output vaultUri string = vault.properties.vaultUri

@description('Name of the Teams webhook secret (present only when a webhook URL was given).')
output teamsWebhookSecretName string = 'teams-webhook-url'

@description('Name of the intake function key secret.')
output intakeKeySecretName string = intakeKey.name

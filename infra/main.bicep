targetScope = 'subscription'

// ResponseFunctions on Azure, for `azd up`. Layout after the official Durable Functions .NET azd quickstart
// (infra/main.bicep at subscription scope creating the resource group, infra/app/*.bicep modules,
// abbreviations.json, main.parameters.json bound to the azd environment) with Azure Verified Modules conventions
// (name/location/tags parameters, described parameters and outputs, no secret in outputs).
// What Bicep cannot grant (Microsoft Graph application permissions, Exchange.ManageAsApp, Entra directory roles, the
// approval app registration) the postprovision hook grants: `ResponseFunctions.Cli setup permissions` (azure.yaml).

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource (one where Flex Consumption is available).')
param location string

@description('Resource group to create or reuse; empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object ids of the break-glass accounts: never changed, excluded from every blocking policy (Containment:ProtectedPrincipals).')
param protectedPrincipalIds array

@description('Client id of the approval app registration (`setup permissions` creates it and stores it in the azd environment). Empty: the approval page refuses everyone (401) until it exists.')
param approvalAppClientId string = ''

@description('Teams Workflows webhook URL for approval cards (stored in Key Vault); empty: no Teams cards.')
@secure()
param teamsWebhookUrl string = ''

@description('Approval-link signing key, base64 of >= 32 bytes. The default draws a new one at every provision (rotation: links issued before stop working).')
@secure()
param approvalSigningKey string = base64('${newGuid()}${newGuid()}${newGuid()}')

@description('Main courante chain key (HMAC), base64 of >= 32 bytes. Set it once (azd env set); the default draws a new one at every provision, and journals chained before then verify with the earlier secret version Key Vault keeps.')
@secure()
param journalChainKey string = base64('${newGuid()}${newGuid()}${newGuid()}')

@description('Function key of the Sentinel intake (Key Vault and the app). The default draws a new one at every provision.')
@secure()
param intakeFunctionKey string = replace('${newGuid()}${newGuid()}', '-', '')

@description('Resource id of the Log Analytics workspace Microsoft Sentinel runs on; empty: no relay, no automation rule.')
param sentinelWorkspaceResourceId string = ''

@description('Resource ids of the Sentinel analytics rules whose incidents the relay forwards; empty: every incident.')
param sentinelAnalyticsRuleIds array = []

@description('Object id of the "Azure Security Insights" service principal (app 98785600-1bb7-4fb9-b9fa-19afe2c8a360) to let Sentinel run the relay; empty: grant it in the portal (Settings > Playbook permissions).')
param securityInsightsPrincipalId string = ''

@description('Scopes where the Case 3 custom role is assigned to the app: /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>. Empty: Case 3 cannot act anywhere.')
param case3Scopes array = []

@description('Run Cases 4 and 5 (Exchange Online) in this tenant: sets Exchange:TenantId.')
param exchangeEnabled bool = true

@description('Poll Entra ID Protection risk detections (Entra ID P2).')
param identityProtectionEnabled bool = false

@description('Days each main courante version stays immutable.')
@minValue(1)
param journalRetentionDays int = 365

@description('Lock the journal\'s immutability policy (irreversible).')
param journalLockPolicy bool = false

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'
var workspaceSegments = split(sentinelWorkspaceResourceId, '/')
var sentinelEnabled = !empty(sentinelWorkspaceResourceId)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? '${abbrs.resourcesResourceGroups}${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module hostStorage 'app/host-storage.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module journalStorage 'app/journal-storage.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}j${resourceToken}'
    location: location
    tags: tags
    retentionDays: journalRetentionDays
    lockPolicy: journalLockPolicy
  }
}

module keyVault 'app/key-vault.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    approvalSigningKey: approvalSigningKey
    journalChainKey: journalChainKey
    teamsWebhookUrl: teamsWebhookUrl
    intakeFunctionKey: intakeFunctionKey
  }
}

module roles 'app/app-role-assignments.bicep' = {
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    journalStorageName: journalStorage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// Settings of ResponseFunctions itself (keys the host binds; `__` is the section separator), as one literal object so
// the compiled template names every key. An empty value means "off" to the host (no Teams cards, no Exchange).
// Secrets are Key Vault references the platform resolves as the user-assigned identity.
var appSettings = {
  ManagedIdentityClientId: identity.outputs.clientId
  Containment__PlaybookIdentityObjectId: identity.outputs.principalId
  Journal__BlobServiceUri: journalStorage.outputs.blobEndpoint
  Journal__Container: journalStorage.outputs.journalContainerName
  Journal__ChainKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.chainKeySecretUri})'
  Approvals__SigningKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.signingKeySecretUri})'
  Teams__WebhookUrl: empty(teamsWebhookUrl) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${keyVault.outputs.teamsWebhookSecretName})'
  Exchange__TenantId: exchangeEnabled ? tenant().tenantId : ''
  Intake__IdentityProtection__Enabled: string(identityProtectionEnabled)
  Intake__IdentityProtection__WatermarkContainerUri: '${hostStorage.outputs.blobEndpoint}intake-watermark'
}

module functionApp 'app/function-app.bicep' = {
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: appSettings
    protectedPrincipalIds: protectedPrincipalIds
    approvalAppClientId: approvalAppClientId
    intakeFunctionKey: intakeFunctionKey
  }
  dependsOn: [ roles ]
}

module relay 'app/sentinel-relay.bicep' = if (sentinelEnabled) {
  scope: rg
  params: {
    name: '${abbrs.logicWorkflows}sentinel-relay-${resourceToken}'
    connectionName: '${abbrs.webConnections}azuresentinel-${resourceToken}'
    location: location
    tags: tags
    intakeUrl: '${functionApp.outputs.url}/api/intake/sentinel'
    keyVaultName: keyVault.outputs.name
    intakeKeySecretName: keyVault.outputs.intakeKeySecretName
  }
}

module sentinel 'app/sentinel-automation.bicep' = if (sentinelEnabled) {
  scope: resourceGroup(sentinelEnabled ? workspaceSegments[2] : subscription().subscriptionId, sentinelEnabled ? workspaceSegments[4] : rg.name)
  params: {
    workspaceName: sentinelEnabled ? last(workspaceSegments) : ''
    relayResourceId: relay!.outputs.resourceId
    relayPrincipalId: relay!.outputs.principalId
    appPrincipalId: identity.outputs.principalId
    analyticsRuleIds: sentinelAnalyticsRuleIds
  }
}

module playbookPermission 'app/playbook-permission.bicep' = if (sentinelEnabled && !empty(securityInsightsPrincipalId)) {
  scope: rg
  params: {
    securityInsightsPrincipalId: securityInsightsPrincipalId
  }
}

module case3Role 'app/case3-role.bicep' = {
  params: {
    assignableScopes: case3Scopes
  }
}

// A scope is /subscriptions/<id> (3 segments once split on '/') or /subscriptions/<id>/resourceGroups/<name> (5).
module case3OnResourceGroups 'app/case3-assignment-rg.bicep' = [for scope in filter(case3Scopes, s => length(split(s, '/')) == 5): {
  scope: resourceGroup(split(scope, '/')[2], split(scope, '/')[4])
  params: {
    roleDefinitionId: case3Role.outputs.roleDefinitionId
    principalId: identity.outputs.principalId
  }
}]

module case3OnSubscriptions 'app/case3-assignment-subscription.bicep' = [for scope in filter(case3Scopes, s => length(split(s, '/')) == 3): {
  scope: subscription(split(scope, '/')[2])
  params: {
    roleDefinitionId: case3Role.outputs.roleDefinitionId
    principalId: identity.outputs.principalId
  }
}]

// azd reads these into the environment; the postprovision hook uses the identity's object id. No secret here.
@description('Resource group of the deployment.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('https URL of the Function App.')
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url

@description('Object id of the playbook identity (setup permissions --identity).')
output PLAYBOOK_IDENTITY_OBJECT_ID string = identity.outputs.principalId

@description('Client id of the playbook identity.')
output PLAYBOOK_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Name of the Key Vault (rotate secrets there).')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the journal storage account.')
output JOURNAL_STORAGE_ACCOUNT string = journalStorage.outputs.name

@description('Resource id of the relay Logic App, empty without Sentinel.')
output SENTINEL_RELAY_RESOURCE_ID string = sentinelEnabled ? relay!.outputs.resourceId : ''

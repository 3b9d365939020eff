// The Functions host on Flex Consumption (.NET 10 isolated worker), running as the user-assigned identity.
// Layout after the official Durable Functions .NET azd quickstart (infra/app/api.bicep): one plan, one app, identity
// based AzureWebJobsStorage, the deployment package in a blob container read with the same identity.
// Sources: "Create and manage function apps in the Flex Consumption plan", "Flex Consumption plan hosting",
// "Identity-based connections for the AzureWebJobsStorage connection" (learn.microsoft.com/azure/azure-functions).
@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Location of the resources.')
param location string

@description('Tags of the resources (azd-service-name is added).')
param tags object = {}

@description('Resource id of the user-assigned identity.')
param identityResourceId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the host storage account (task hub, deployment package).')
param hostStorageName string

@description('Container of the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Application settings of ResponseFunctions (keys the host binds), merged over the platform settings.')
param appSettings object

@description('Object ids of the break-glass accounts (Containment:ProtectedPrincipals, one indexed setting each).')
param protectedPrincipalIds array

@description('Maximum instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance (MB).')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

@description('Client id of the approval app registration (Easy Auth). Empty until `setup permissions` created it: then every route but the excluded ones answers 401.')
param approvalAppClientId string = ''

@description('Routes reachable without Entra sign-in (they keep their function keys). Easy Auth matches excluded paths exactly, or by prefix with a trailing /*.')
param anonymousPaths array = [ '/api/intake/sentinel', '/api/containments' ]

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var platformSettings = {
  // Identity-based host storage: Source: "Connecting to host storage with an identity".
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
  // Entra-authenticated ingestion (local auth is off on the component). Source: "Microsoft Entra authentication for Application Insights".
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'responsefunctions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityResourceId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve as the user-assigned identity, not a system-assigned one the app does not have.
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(
      platformSettings,
      appSettings,
      toObject(range(0, length(protectedPrincipalIds)), i => 'Containment__ProtectedPrincipals__${i}', i => string(protectedPrincipalIds[i])),
      {
        // The approval links point at this app; its host name is known only once it exists.
        Approvals__PageBaseUrl: 'https://${app.properties.defaultHostName}'
      }
    )
  }

  // No basic-auth publishing (FTP, SCM): deployments go through Entra. Source: "Disable basic authentication in App Service deployments".
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: { allow: false }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: { allow: false }
  }

  // App Service Authentication: Entra sign-in required everywhere except the function-key routes named in
  // anonymousPaths, so the approval page (GET/POST /api/containments/{id}/approve) always has a signed-in user.
  // Tokens are issued only to users assigned an app role (assignment required on the approval app); the page itself
  // also refuses anyone without the Containment.Approver role claim.
  // Sources: "Configure your App Service or Azure Functions app to use Microsoft Entra sign-in",
  // "Authentication and authorization in Azure App Service: File-based configuration (excludedPaths)".
  resource auth 'config' = {
    name: 'authsettingsV2'
    properties: {
      platform: { enabled: true }
      globalValidation: {
        requireAuthentication: true
        // Without an app registration yet, nobody can sign in: fail closed with 401 rather than redirect nowhere.
        unauthenticatedClientAction: empty(approvalAppClientId) ? 'Return401' : 'RedirectToLoginPage'
        redirectToProvider: 'azureactivedirectory'
        excludedPaths: anonymousPaths
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: !empty(approvalAppClientId)
          registration: {
            clientId: approvalAppClientId
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          }
          validation: {
            allowedAudiences: empty(approvalAppClientId) ? [] : [ 'api://${approvalAppClientId}', approvalAppClientId ]
          }
        }
      }
      login: {
        tokenStore: { enabled: false }
      }
      httpSettings: {
        requireHttps: true
        forwardProxy: { convention: 'NoProxy' }
      }
    }
  }
}

// A host-level function key the relay Logic App sends (x-functions-key) to the Sentinel intake route.
// Source: "Work with access keys in Azure Functions" (Microsoft.Web/sites/host/functionKeys).
@description('Value of the intake function key (from the deployment\'s secure parameter, also stored in Key Vault).')
@secure()
param intakeFunctionKey string

// The type is deployable (REST "Web Apps - Create Or Update Host Secret") but Bicep ships no schema for it.
#disable-next-line BCP081
resource intakeKey 'Microsoft.Web/sites/host/functionKeys@2022-03-01' = {
  name: '${app.name}/default/sentinel-intake'
  properties: {
    name: 'sentinel-intake'
    value: intakeFunctionKey
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Resource id of the Function App.')
output resourceId string = app.id

@description('https URL of the app.')
output url string = 'https://${app.properties.defaultHostName}'

@description('Host name of the app.')
output hostName string = app.properties.defaultHostName

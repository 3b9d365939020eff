// Storage of the Function App itself: the Durable Functions task hub (queues, tables, blobs), the runtime's
// leases and the Flex Consumption deployment package container. Shared keys off: the app uses its managed identity.
@description('Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Location of the account.')
param location string

@description('Tags of the resource.')
param tags object = {}

@description('Container Flex Consumption deploys the app package to.')
param deploymentContainerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    resource deployment 'containers' = {
      name: deploymentContainerName
      properties: { publicAccess: 'None' }
    }
  }
}

@description('Name of the account.')
output name string = account.name

@description('Resource id of the account.')
output resourceId string = account.id

@description('Blob endpoint of the account.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue endpoint of the account.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table endpoint of the account.')
output tableEndpoint string = account.properties.primaryEndpoints.table

// The main courante: a storage account of its own, apart from the task hub, with version-level immutability
// (WORM) and soft delete. The app holds Storage Blob Data Contributor here: it can append, never rewrite or delete
// what was written while the retention lasts. Only the control plane (Owner / Storage Account Contributor on
// this account, which the app does not have) could shorten an unlocked policy; locking it makes that impossible too.
// Sources: "Configure immutability policies for blob versions" and "Immutable storage for Azure Blob Storage"
// (learn.microsoft.com/azure/storage/blobs); append blobs keep growing through allowProtectedAppendWrites.
@description('Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Location of the account.')
param location string

@description('Tags of the resource.')
param tags object = {}

@description('Container of the journals (Journal:Container).')
param journalContainerName string = 'main-courante'

@description('Container of the spent approval-link markers (single-use links): immutable too, so a link cannot be un-spent.')
param approvalLinksContainerName string = 'approval-links'

@description('Days every journal blob version stays immutable after it is written.')
@minValue(1)
@maxValue(146000)
param retentionDays int = 365

@description('Lock the immutability policy (irreversible: the retention can then only be extended, never shortened or removed, even by an owner).')
param lockPolicy bool = false

@description('Days deleted blobs and containers stay recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 30

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
    // Version-level immutability support for every container of the account, with a default policy.
    immutableStorageWithVersioning: {
      enabled: true
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: retentionDays
        state: lockPolicy ? 'Locked' : 'Unlocked'
        allowProtectedAppendWrites: true
      }
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    properties: {
      // Version-level immutability requires versioning.
      isVersioningEnabled: true
      deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
      containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    }

    resource journal 'containers' = {
      name: journalContainerName
      properties: {
        publicAccess: 'None'
        immutableStorageWithVersioning: { enabled: true }
      }

      // The container's default version-level policy: each new append blob version is protected on creation.
      resource policy 'immutabilityPolicies' = {
        name: 'default'
        properties: {
          immutabilityPeriodSinceCreationInDays: retentionDays
          allowProtectedAppendWrites: true
        }
      }
    }

    resource approvalLinks 'containers' = {
      name: approvalLinksContainerName
      properties: {
        publicAccess: 'None'
        immutableStorageWithVersioning: { enabled: true }
      }
    }
  }
}

@description('Name of the account.')
output name string = account.name

@description('Resource id of the account.')
output resourceId string = account.id

@description('Blob service endpoint: Journal:BlobServiceUri.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Container of the journals.')
output journalContainerName string = journalContainerName

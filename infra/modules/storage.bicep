// The storage account: the app's tables, the host's own blobs and queues, and the container the
// Flex Consumption plan deploys the app package from. Only Entra ID identities reach it: shared keys are off.
param name string
param location string
param tags object
param deploymentContainerName string

@description('Redundancy: Standard_ZRS (zone-redundant) unless the deployment asks otherwise.')
param sku string

@description('Full table names, prefix included.')
param tableNames array

@description('Closes the account to the public network; private endpoints (modules/network.bicep) reach it instead.')
param privateNetworking bool

@description('Log Analytics workspace that receives the blob, queue and table services\' logs and transaction metrics.')
param logAnalyticsWorkspaceId string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Outside private network mode the account must stay open to public networks: a Flex Consumption app
    // without virtual network integration reaches it from addresses no storage network rule can name
    // (infra/README.md, "Storage network access").
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [for table in tableNames: {
      name: table
    }]
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

// Every read, write and delete on the data (who, from where, with which identity) and the transaction
// metrics of each service, kept outside the account they describe.
var storageLogs = {
  workspaceId: logAnalyticsWorkspaceId
  logs: [
    {
      category: 'StorageRead'
      enabled: true
    }
    {
      category: 'StorageWrite'
      enabled: true
    }
    {
      category: 'StorageDelete'
      enabled: true
    }
  ]
  metrics: [
    {
      category: 'Transaction'
      enabled: true
    }
  ]
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: storage::blobService
  properties: storageLogs
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: storage::tableService
  properties: storageLogs
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: storage::queueService
  properties: storageLogs
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table

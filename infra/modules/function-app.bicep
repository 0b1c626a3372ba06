// The Flex Consumption plan and the function app: .NET 10 isolated worker, run as the user-assigned
// identity, deployed from a blob container the identity reads, HTTPS and TLS 1.2 only, no FTP and no
// basic publishing credentials.
param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param instanceMemoryMB int
param maximumInstanceCount int
param corsAllowedOrigins array

@description('Spreads the plan\'s instances over the region\'s availability zones.')
param zoneRedundant bool

@description('Front Door profile id (its X-Azure-FDID) that alone may reach the app; empty for none.')
param frontDoorId string

@description('Log Analytics workspace that receives the app\'s logs and metrics.')
param logAnalyticsWorkspaceId string

@description('Subnet the app integrates into (private network mode); empty for none.')
param subnetId string

@description('The app\'s own settings, added to the host and identity settings below.')
param appSettings object

@secure()
param continuationTokenKey string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

// With Front Door in front, the app answers Front Door alone: its backend service tag, and of that shared
// address space only requests carrying this profile's id. The SCM site keeps its own rules (open): azd and
// the deploy workflow publish to it from addresses that cannot be listed, and with basic publishing
// credentials off it accepts only Entra ID tokens of principals with rights on the app.
var edgeOnly = [
  {
    name: 'front-door'
    description: 'Requests through this deployment\'s Front Door profile only'
    action: 'Allow'
    priority: 100
    tag: 'ServiceTag'
    ipAddress: 'AzureFrontDoor.Backend'
    headers: {
      'x-azure-fdid': [
        frontDoorId
      ]
    }
  }
]

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
      ipSecurityRestrictions: empty(frontDoorId) ? [] : edgeOnly
      ipSecurityRestrictionsDefaultAction: empty(frontDoorId) ? 'Allow' : 'Deny'
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Allow'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource ftpPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, {
      // The host's own storage (leases, timers' schedule status, internal queues), through the identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      // The app's tables (StorageOptions): the endpoint, reached with DefaultAzureCredential as this identity.
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      Storage__ClientId: identity.properties.clientId
      Api__ContinuationTokenKey: continuationTokenKey
      // Telemetry, authenticated with Entra ID (Application Insights has local authentication off).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    })
  }
}

// The host's and the functions' logs (FunctionAppLogs) and the platform metrics, beside Application Insights.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: app
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
output url string = 'https://${app.properties.defaultHostName}'

// The Innovation Zones API in Azure: one resource group holding a Flex Consumption function app that
// reaches its storage and Application Insights with a user-assigned managed identity and no keys.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME); the resource group and the tags derive from it.')
param environmentName string

@minLength(1)
@description('Region of every resource: one that offers the Flex Consumption plan.')
param location string

@description('Object id of the deploying user (azd: AZURE_PRINCIPAL_ID). When set, it gets the same storage data roles as the app, to run the app locally against the cloud tables.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principal that principalId names.')
param principalType string = 'User'

@description('Origins that browsers may call the API from (CORS), such as https://example.org. Empty: none.')
param corsAllowedOrigins array = []

@allowed([
  512
  2048
  4096
])
@description('Memory of each instance of the Flex Consumption plan, in MB.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Most instances the app scales out to.')
param maximumInstanceCount int = 40

@description('NCRONTAB schedule of the aggregates recompute of the scopes that writes touched (app setting AggregatesSchedule).')
param aggregatesSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the full aggregates recompute (app setting AggregatesFullSchedule).')
param aggregatesFullSchedule string = '0 30 2 * * *'

@maxLength(30)
@description('Prefix of every table name (app setting Storage__TablePrefix); empty in a dedicated account.')
param tablePrefix string = ''

@secure()
@minLength(44)
@description('Base64 key of at least 32 bytes that signs continuation tokens (app setting Api__ContinuationTokenKey). azd generates one per environment (infra/hooks/preprovision).')
param continuationTokenKey string

@description('Private network mode: a virtual network, the app integrated into it, storage reached through private endpoints and closed to the public network.')
param privateNetworking bool = false

@allowed([
  'Standard_ZRS'
  'Standard_GZRS'
  'Standard_LRS'
])
@description('Redundancy of the storage account: zone-redundant by default; Standard_GZRS also keeps a copy in the paired region; Standard_LRS (one datacenter) only for development environments, with zoneRedundant false.')
param storageSku string = 'Standard_ZRS'

@description('Spreads the Flex Consumption plan over the region\'s availability zones. Needs storageSku Standard_ZRS or Standard_GZRS and a region that offers zone-redundant Flex Consumption; the platform then keeps at least two always-ready instances per scaling group, billed as such.')
param zoneRedundant bool = true

@description('Azure Front Door Standard in front of the app: a WAF rate limit per client address, GETs cached by the app\'s Cache-Control, and the app reachable through it alone.')
param frontDoor bool = false

@minValue(10)
@description('With frontDoor: requests one client address may send in a minute before the WAF answers 429 for the rest of it.')
param frontDoorRateLimitPerMinute int = 1000

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// The app's tables (src/InnovationZones.Functions/Storage/Tables.cs, Tables.Names); a test keeps the two equal.
var tableNames = [
  'Cities'
  'Zones'
  'ZoneIndex'
  'Organizations'
  'OrganizationIndex'
  'Metrics'
  'Relations'
  'Vocabulary'
  'DirtyScopes'
  'Aggregates'
  'AggregateRuns'
  'Changes'
]

var functionAppName = 'func-${resourceToken}'

// A zone-redundant plan keeps running through a zone outage only if its storage does too.
var checkedStorageSku = zoneRedundant && storageSku == 'Standard_LRS'
  ? fail('zoneRedundant needs zone-redundant storage: set storageSku to Standard_ZRS or Standard_GZRS, or zoneRedundant to false.')
  : storageSku
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    sku: checkedStorageSku
    deploymentContainerName: deploymentContainerName
    tableNames: [for table in tableNames: '${tablePrefix}${table}']
    privateNetworking: privateNetworking
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module edge 'modules/front-door.bicep' = if (frontDoor) {
  name: 'front-door'
  scope: rg
  params: {
    profileName: 'afd-${resourceToken}'
    endpointName: 'api-${resourceToken}'
    wafPolicyName: 'waf${resourceToken}'
    tags: tags
    rateLimitPerMinute: frontDoorRateLimitPerMinute
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  dependsOn: [
    roles
  ]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    corsAllowedOrigins: corsAllowedOrigins
    zoneRedundant: zoneRedundant
    subnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    frontDoorId: frontDoor ? edge!.outputs.frontDoorId : ''
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    appSettings: union(
      {
        Storage__TablePrefix: tablePrefix
        AggregatesSchedule: aggregatesSchedule
        AggregatesFullSchedule: aggregatesFullSchedule
        // A data API: / answers 204, not the Functions host's landing page (as local.settings.json sets it).
        AzureWebJobsDisableHomepage: 'true'
      },
      // Behind Front Door the app's absolute links name the edge, not its own host.
      frontDoor ? { Api__PublicBaseUrl: edge!.outputs.url } : {}
    )
    continuationTokenKey: continuationTokenKey
  }
}

module edgeRouting 'modules/front-door-routing.bicep' = if (frontDoor) {
  name: 'front-door-routing'
  scope: rg
  params: {
    profileName: edge!.outputs.profileName
    endpointName: edge!.outputs.endpointName
    appHostName: functionApp.outputs.hostName
    corsAllowedOrigins: corsAllowedOrigins
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output STORAGE_TABLE_PREFIX string = tablePrefix
output AZURE_FRONT_DOOR_URL string = frontDoor ? edge!.outputs.url : ''
// Where clients call the API: Front Door when it is on (the app then refuses every other caller).
output API_BASE_URL string = frontDoor ? edge!.outputs.url : functionApp.outputs.url

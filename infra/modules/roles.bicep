// Least-privilege role assignments: the app's identity gets the storage data roles the Functions host
// and the app need, and may publish telemetry; the deploying user, when given, gets the same data roles.
param storageAccountName string
param applicationInsightsName string
param identityPrincipalId string

@description('Object id of the deploying user; empty for none.')
param userPrincipalId string

param userPrincipalType string

// Built-in role definition ids, each beside its role's name.
var storageBlobDataOwner = {
  name: 'Storage Blob Data Owner'
  id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
}
var storageTableDataContributor = {
  name: 'Storage Table Data Contributor'
  id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}
var storageQueueDataContributor = {
  name: 'Storage Queue Data Contributor'
  id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}
var monitoringMetricsPublisher = {
  name: 'Monitoring Metrics Publisher'
  id: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Blob: the host's leases and the deployment package; queue: the host's internal queues; table: the app's data.
var storageRoles = [
  storageBlobDataOwner
  storageTableDataContributor
  storageQueueDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource identityStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, identityPrincipalId, role.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    description: '${role.name}: the function app'
  }
}]

resource identityMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, monitoringMetricsPublisher.id)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher.id)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    description: '${monitoringMetricsPublisher.name}: the function app'
  }
}

resource userStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, role.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
    principalId: userPrincipalId
    principalType: userPrincipalType
    description: '${role.name}: the deploying user, to run the app locally against this account'
  }
}]

// Azure Front Door Standard in front of the app (main.bicep's frontDoor): the profile, its endpoint, and a
// WAF policy in Prevention mode that limits how many requests each client address may send. The origin
// and the route are in front-door-routing.bicep: they need the app's host name, and the app needs this
// profile's id first.
param profileName string
param endpointName string
param wafPolicyName string
param tags object

@description('Requests one client address may send in a minute; past it, the WAF answers 429 until the minute ends.')
param rateLimitPerMinute int

@description('Log Analytics workspace that receives the WAF log and the profile\'s metrics.')
param logAnalyticsWorkspaceId string

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    // An import of a large dataset may take longer than the default 60 seconds.
    originResponseTimeoutSeconds: 240
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

resource wafPolicy 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies@2025-03-01' = {
  name: wafPolicyName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    policySettings: {
      enabledState: 'Enabled'
      mode: 'Prevention'
      // The only rule is the rate limit, so a block means "too many requests".
      customBlockResponseStatusCode: 429
    }
    customRules: {
      rules: [
        {
          name: 'RateLimitPerClientAddress'
          priority: 100
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: rateLimitPerMinute
          groupBy: [
            {
              variableName: 'SocketAddr'
            }
          ]
          // A rate limit rule needs a match condition: every valid request has a Host header.
          matchConditions: [
            {
              matchVariable: 'RequestHeader'
              selector: 'Host'
              operator: 'GreaterThanOrEqual'
              matchValue: [
                '0'
              ]
            }
          ]
          action: 'Block'
        }
      ]
    }
  }
}

resource securityPolicy 'Microsoft.Cdn/profiles/securityPolicies@2025-06-01' = {
  parent: profile
  name: 'waf'
  properties: {
    parameters: {
      type: 'WebApplicationFirewall'
      wafPolicy: {
        id: wafPolicy.id
      }
      associations: [
        {
          domains: [
            {
              id: endpoint.id
            }
          ]
          patternsToMatch: [
            '/*'
          ]
        }
      ]
    }
  }
}

// What the WAF blocked, and the profile's metrics (requests, cache hit ratio, origin latency).
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: profile
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FrontDoorWebApplicationFirewallLog'
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

output profileName string = profile.name
output endpointName string = endpoint.name
output frontDoorId string = profile.properties.frontDoorId
output url string = 'https://${endpoint.properties.hostName}'

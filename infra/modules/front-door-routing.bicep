// What Front Door (front-door.bicep) sends where: every path of the endpoint to the function app over
// HTTPS, GETs cached for as long as the app's Cache-Control allows, text compressed at the edge.
param profileName string
param endpointName string

@description('The function app\'s default host name.')
param appHostName string

@description('Origins the app allows for CORS: their requests bypass the cache (see the rules below).')
param corsAllowedOrigins array

resource profile 'Microsoft.Cdn/profiles@2025-06-01' existing = {
  name: profileName

  resource endpoint 'afdEndpoints' existing = {
    name: endpointName
  }
}

resource originGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'function-app'
  properties: {
    // The app's health function answers GET only, and 503 when storage does not answer.
    healthProbeSettings: {
      probePath: '/api/health'
      probeProtocol: 'Https'
      probeRequestType: 'GET'
      probeIntervalInSeconds: 100
    }
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource origin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: originGroup
  name: 'function-app'
  properties: {
    hostName: appHostName
    // App Service routes by host name: the request must name the app, not the endpoint.
    originHostHeader: appHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// Front Door keys its cache on the URL alone (it does not honour Vary: Accept), and with caching on it
// does not pass Accept to the origin. A request that asks for CSV therefore goes uncached, so that Accept
// reaches the app; so does a browser's request from an allowed CORS origin, whose answer carries that
// origin in Access-Control-Allow-Origin and must not be served to others.
var corsRule = empty(corsAllowedOrigins) || contains(corsAllowedOrigins, '*') ? [] : [
  {
    name: 'uncachedCorsOrigin'
    conditions: [
      {
        name: 'RequestHeader'
        parameters: {
          typeName: 'DeliveryRuleRequestHeaderConditionParameters'
          selector: 'Origin'
          operator: 'Equal'
          matchValues: json(toLower(string(corsAllowedOrigins)))
          transforms: [
            'Lowercase'
          ]
          negateCondition: false
        }
      }
    ]
  }
]

var uncachedRules = concat([
  {
    name: 'uncachedCsv'
    conditions: [
      {
        name: 'RequestHeader'
        parameters: {
          typeName: 'DeliveryRuleRequestHeaderConditionParameters'
          selector: 'Accept'
          operator: 'Contains'
          matchValues: [
            'text/csv'
          ]
          transforms: [
            'Lowercase'
          ]
          negateCondition: false
        }
      }
    ]
  }
], corsRule)

resource ruleSet 'Microsoft.Cdn/profiles/ruleSets@2025-06-01' = {
  parent: profile
  name: 'api'
}

resource rules 'Microsoft.Cdn/profiles/ruleSets/rules@2025-06-01' = [for (rule, i) in uncachedRules: {
  parent: ruleSet
  name: rule.name
  properties: {
    order: i + 1
    matchProcessingBehavior: 'Continue'
    conditions: rule.conditions
    actions: [
      {
        // Without a cacheConfiguration the override turns caching off for the request.
        name: 'RouteConfigurationOverride'
        parameters: {
          typeName: 'DeliveryRuleRouteConfigurationOverrideActionParameters'
        }
      }
    ]
  }
}]

resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: profile::endpoint
  name: 'api'
  dependsOn: [
    origin
    rules
  ]
  properties: {
    originGroup: {
      id: originGroup.id
    }
    ruleSets: [
      {
        id: ruleSet.id
      }
    ]
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
    // Cached for as long as the app's Cache-Control says (no-store: not at all), one entry per query string.
    cacheConfiguration: {
      queryStringCachingBehavior: 'UseQueryString'
      compressionSettings: {
        isCompressionEnabled: true
        contentTypesToCompress: [
          'application/json'
          'application/problem+json'
          'application/yaml'
          'text/csv'
          'text/javascript'
        ]
      }
    }
  }
}

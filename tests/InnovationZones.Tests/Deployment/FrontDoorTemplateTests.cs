using System.Text.Json.Nodes;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// The optional edge of infra/main.bicep (frontDoor): Azure Front Door Standard with a WAF rate limit per
/// client address, GETs cached by the app's own Cache-Control, and the app answering Front Door alone.
/// </summary>
[Trait("Category", Tier.Unit)]
public sealed class FrontDoorTemplateTests(TemplateFixture template) : IClassFixture<TemplateFixture>
{
    private const string Profiles = "Microsoft.Cdn/profiles";
    private const string WafPolicies = "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies";
    private const string Sites = "Microsoft.Web/sites";

    /// <summary>The setting the app builds its absolute links from (ApiOptions.PublicBaseUrl).</summary>
    private const string PublicBaseUrl = "Api__PublicBaseUrl";

    private ArmDeployment Edge => template.Edge;

    private ArmResource Endpoint => Edge.Single("Microsoft.Cdn/profiles/afdEndpoints");

    private JsonNode Route => Edge.Single("Microsoft.Cdn/profiles/afdEndpoints/routes").Properties;

    [Fact]
    public void FrontDoorIsDeployedOnlyWhenAskedFor()
    {
        Assert.False(template.Compiled.Arm["parameters"]!["frontDoor"]!["defaultValue"]!.GetValue<bool>());
        foreach (var deployment in new[] { template.Public, template.Private })
        {
            Assert.DoesNotContain(deployment.AllResources, r => r.Type.StartsWith("Microsoft.Cdn/", StringComparison.Ordinal) || r.Type == WafPolicies);
            var site = deployment.Single(Sites).Properties["siteConfig"]!;
            Assert.Empty(site["ipSecurityRestrictions"]!.AsArray());
            Assert.Equal("Allow", site.Text("ipSecurityRestrictionsDefaultAction"));
            Assert.False(deployment.AppSettings().ContainsKey(PublicBaseUrl));
        }

        var profile = Edge.Single(Profiles);
        Assert.Equal("Standard_AzureFrontDoor", profile.Declaration.Text("sku.name"));
        Assert.Equal("global", profile.Declaration.Text("location"));
        Assert.StartsWith(profile.Name + "/", Endpoint.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWafPolicyLimitsEachClientAddressInPreventionMode()
    {
        var policy = Edge.Single(WafPolicies);
        Assert.Equal("Standard_AzureFrontDoor", policy.Declaration.Text("sku.name"));
        Assert.Equal("Prevention", policy.Properties.Text("policySettings.mode"));
        Assert.Equal("Enabled", policy.Properties.Text("policySettings.enabledState"));
        Assert.Equal(429, policy.Properties.At("policySettings.customBlockResponseStatusCode")!.GetValue<long>());

        var rule = Assert.Single(policy.Properties.At("customRules.rules")!.AsArray())!;
        Assert.Equal("RateLimitRule", rule.Text("ruleType"));
        Assert.Equal("Block", rule.Text("action"));
        Assert.Equal("Enabled", rule.Text("enabledState"));
        Assert.Equal(TemplateFixture.EdgeRateLimit, rule["rateLimitThreshold"]!.GetValue<long>());
        Assert.Equal(1, rule["rateLimitDurationInMinutes"]!.GetValue<long>());
        Assert.Equal(["SocketAddr"], rule["groupBy"]!.AsArray().Select(g => g!.Text("variableName")));
        // Every request: its Host header is at least 0 characters long.
        var condition = Assert.Single(rule["matchConditions"]!.AsArray())!;
        Assert.Equal(("RequestHeader", "Host", "GreaterThanOrEqual"), (condition.Text("matchVariable"), condition.Text("selector"), condition.Text("operator")));
        Assert.Equal(["0"], condition["matchValue"]!.AsArray().Select(v => v!.GetValue<string>()));

        Assert.Equal(1000, template.Compiled.Arm["parameters"]!["frontDoorRateLimitPerMinute"]!["defaultValue"]!.GetValue<int>());
    }

    [Fact]
    public void ASecurityPolicyAppliesTheWafToEveryPathOfTheEndpoint()
    {
        var policy = Edge.Single("Microsoft.Cdn/profiles/securityPolicies").Properties["parameters"]!;
        Assert.Equal("WebApplicationFirewall", policy.Text("type"));
        Assert.Equal(Edge.Single(WafPolicies).Id, policy.Text("wafPolicy.id"));
        var association = Assert.Single(policy["associations"]!.AsArray())!;
        Assert.Equal([Endpoint.Id], association["domains"]!.AsArray().Select(d => d!.Text("id")));
        Assert.Equal(["/*"], association["patternsToMatch"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public void TheOriginIsTheFunctionAppProbedOnItsHealthEndpoint()
    {
        var app = Edge.Single(Sites);
        var origin = Edge.Single("Microsoft.Cdn/profiles/originGroups/origins");
        Assert.Equal(app.Runtime("defaultHostName"), origin.Properties.Text("hostName"));
        Assert.Equal(app.Runtime("defaultHostName"), origin.Properties.Text("originHostHeader"));
        Assert.True(origin.Properties["enforceCertificateNameCheck"]!.GetValue<bool>());

        var group = Edge.Single("Microsoft.Cdn/profiles/originGroups");
        Assert.StartsWith(group.Name + "/", origin.Name, StringComparison.Ordinal);
        var probe = group.Properties["healthProbeSettings"]!;
        Assert.Equal("/api/health", probe.Text("probePath"));
        Assert.Equal("Https", probe.Text("probeProtocol"));
        Assert.Equal("GET", probe.Text("probeRequestType"));
    }

    [Fact]
    public void TheRouteRedirectsToHttpsAndReachesTheAppOverHttpsOnly()
    {
        Assert.Equal(Edge.Single("Microsoft.Cdn/profiles/originGroups").Id, Route.Text("originGroup.id"));
        Assert.StartsWith(Endpoint.Name + "/", Edge.Single("Microsoft.Cdn/profiles/afdEndpoints/routes").Name, StringComparison.Ordinal);
        Assert.Equal("Enabled", Route.Text("httpsRedirect"));
        Assert.Equal("HttpsOnly", Route.Text("forwardingProtocol"));
        Assert.Equal("Enabled", Route.Text("linkToDefaultDomain"));
        Assert.Equal(["Http", "Https"], Route["supportedProtocols"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["/*"], Route["patternsToMatch"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public void GetsAreCachedPerQueryStringForAsLongAsTheAppSaysAndTextIsCompressed()
    {
        var cache = Route["cacheConfiguration"]!;
        // Nothing but the query string behaviour and compression: the app's Cache-Control decides how long.
        Assert.Equal(["compressionSettings", "queryStringCachingBehavior"], cache.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("UseQueryString", cache.Text("queryStringCachingBehavior"));
        Assert.True(cache.At("compressionSettings.isCompressionEnabled")!.GetValue<bool>());
        Assert.Equal(
            ["application/json", "application/problem+json", "application/yaml", "text/csv", "text/javascript"],
            cache.At("compressionSettings.contentTypesToCompress")!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("uncachedCsv", "Accept", "Contains", new[] { "text/csv" })]
    [InlineData("uncachedCorsOrigin", "Origin", "Equal", new[] { "https://zones.example.org", "https://portal.azure.com" })]
    public void RequestsForCsvOrFromAnAllowedCorsOriginBypassTheCache(string name, string header, string @operator, string[] values)
    {
        var ruleSet = Edge.Single("Microsoft.Cdn/profiles/ruleSets");
        Assert.Equal([ruleSet.Id], Route["ruleSets"]!.AsArray().Select(r => r!.Text("id")));
        var rule = Assert.Single(Edge.OfType("Microsoft.Cdn/profiles/ruleSets/rules"), r => r.Name == $"{ruleSet.Name}/{name}").Properties;

        var condition = Assert.Single(rule["conditions"]!.AsArray())!;
        Assert.Equal("RequestHeader", condition.Text("name"));
        Assert.Equal(header, condition.Text("parameters.selector"));
        Assert.Equal(@operator, condition.Text("parameters.operator"));
        Assert.Equal(values, condition.At("parameters.matchValues")!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["Lowercase"], condition.At("parameters.transforms")!.AsArray().Select(t => t!.GetValue<string>()));

        // A route configuration override without a cache configuration turns caching off for the request.
        var action = Assert.Single(rule["actions"]!.AsArray())!;
        Assert.Equal("RouteConfigurationOverride", action.Text("name"));
        Assert.Null(action["parameters"]!["cacheConfiguration"]);
        Assert.Null(action["parameters"]!["originGroupOverride"]);
    }

    [Fact]
    public void WithoutCorsOriginsOnlyCsvBypassesTheCache()
    {
        var edge = ArmDeployment.Expand(template.Compiled.Arm, new Dictionary<string, object?>
        {
            ["environmentName"] = TemplateFixture.EnvironmentName,
            ["location"] = TemplateFixture.Location,
            ["continuationTokenKey"] = TemplateFixture.TokenKey,
            ["frontDoor"] = true,
        });
        Assert.Equal(["api/uncachedCsv"], edge.OfType("Microsoft.Cdn/profiles/ruleSets/rules").Select(r => r.Name.Split('/', 2)[1]));
        Assert.Equal(1000, edge.Single(WafPolicies).Properties.At("customRules.rules")!.AsArray().Single()!["rateLimitThreshold"]!.GetValue<long>());
    }

    [Fact]
    public void TheAppAnswersThisFrontDoorProfileAlone()
    {
        var site = Edge.Single(Sites).Properties["siteConfig"]!;
        var rule = Assert.Single(site["ipSecurityRestrictions"]!.AsArray())!;
        Assert.Equal("Allow", rule.Text("action"));
        Assert.Equal("ServiceTag", rule.Text("tag"));
        Assert.Equal("AzureFrontDoor.Backend", rule.Text("ipAddress"));
        var headers = rule["headers"]!.AsObject();
        Assert.Equal(["x-azure-fdid"], headers.Select(h => h.Key));
        Assert.Equal([Edge.Single(Profiles).Runtime("frontDoorId")], headers["x-azure-fdid"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Deny", site.Text("ipSecurityRestrictionsDefaultAction"));

        // The SCM site keeps rules of its own: deployments reach it, with Entra ID only (basic auth is off).
        Assert.False(site["scmIpSecurityRestrictionsUseMain"]!.GetValue<bool>());
        Assert.Equal("Allow", site.Text("scmIpSecurityRestrictionsDefaultAction"));
        Assert.All(Edge.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"), p => Assert.False(p.Properties["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void TheAppsPublicBaseUrlAndTheOutputsNameTheFrontDoorEndpoint()
    {
        var url = "https://" + Endpoint.Runtime("hostName");
        Assert.Equal(url, Edge.AppSettings().Text(PublicBaseUrl));
        Assert.Equal(url, Edge.Output("AZURE_FRONT_DOOR_URL")!.GetValue<string>());
        Assert.Equal(url, Edge.Output("API_BASE_URL")!.GetValue<string>());

        var app = template.Public.Single(Sites);
        Assert.Equal("", template.Public.Output("AZURE_FRONT_DOOR_URL")!.GetValue<string>());
        Assert.Equal("https://" + app.Runtime("defaultHostName"), template.Public.Output("API_BASE_URL")!.GetValue<string>());
    }

    [Fact]
    public void FrontDoorSendsWhatTheWafBlockedAndItsMetricsToLogAnalytics()
    {
        var profile = Edge.Single(Profiles);
        var setting = Assert.Single(Edge.OfType("Microsoft.Insights/diagnosticSettings"), d => d.Id.StartsWith(profile.Id + "/providers/", StringComparison.Ordinal));
        Assert.Equal(Edge.Single("Microsoft.OperationalInsights/workspaces").Id, setting.Properties.Text("workspaceId"));
        Assert.Equal(["FrontDoorWebApplicationFirewallLog"], TemplateTests.EnabledCategories(setting, "logs"));
        Assert.Equal(["AllMetrics"], TemplateTests.EnabledCategories(setting, "metrics"));
    }
}

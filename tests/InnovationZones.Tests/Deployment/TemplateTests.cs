using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.Api;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// infra/main.bicep, compiled by the Bicep CLI and expanded offline for both network modes: every security
/// and wiring property the deployment depends on, read from what the template would deploy.
/// </summary>
[Trait("Category", Tier.Unit)]
public sealed partial class TemplateTests(TemplateFixture template) : IClassFixture<TemplateFixture>
{
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string Sites = "Microsoft.Web/sites";
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
    private const string DiagnosticSettings = "Microsoft.Insights/diagnosticSettings";

    private ArmDeployment Public => template.Public;

    private ArmDeployment Private => template.Private;

    public static TheoryData<bool> Modes => [false, true];

    private ArmDeployment Mode(bool privateNetworking) => privateNetworking ? Private : Public;

    [Fact]
    public void MainBicepBuildsWithoutErrorsOrWarnings()
    {
        var result = template.Compiled.Result;
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Diagnostics.Trim());
        Assert.NotNull(template.Compiled.Template);
    }

    [Fact]
    public void MainBicepLintsClean()
    {
        var lint = Bicep.Run("lint", Bicep.MainTemplatePath);
        Assert.Equal(0, lint.ExitCode);
        Assert.Equal("", (lint.Output + lint.Diagnostics).Trim());
    }

    [Fact]
    public void TheTemplateTargetsTheSubscriptionAndCreatesTheResourceGroup()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", template.Compiled.Arm["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        var group = Public.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal($"rg-{TemplateFixture.EnvironmentName}", group.Name);
        Assert.Equal(TemplateFixture.Location, group.Declaration.Text("location"));
        Assert.Equal(TemplateFixture.EnvironmentName, group.Declaration.Text("tags.azd-env-name"));
        Assert.All(Public.AllResources.Where(r => r.Type != "Microsoft.Resources/deployments" && r.Declaration["location"] is not null),
            r => Assert.Equal(TemplateFixture.EnvironmentName, r.Declaration.Text("tags.azd-env-name")));
    }

    [Fact]
    public void NamesDeriveFromAUniqueStringAndDifferPerEnvironment()
    {
        var other = ArmDeployment.Expand(template.Compiled.Arm, new Dictionary<string, object?>
        {
            ["environmentName"] = "iz-other",
            ["location"] = TemplateFixture.Location,
            ["continuationTokenKey"] = TemplateFixture.TokenKey,
        });
        var storage = Public.Single(StorageAccounts).Name;
        Assert.Matches("^st[a-z0-9]{13}$", storage);
        Assert.NotEqual(storage, other.Single(StorageAccounts).Name);
        Assert.Matches("^func-[a-z0-9]{13}$", Public.Single(Sites).Name);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void StorageAcceptsOnlyEntraIdOverHttpsWithTls12AndNoPublicBlobs(bool privateNetworking)
    {
        var storage = Mode(privateNetworking).Single(StorageAccounts).Properties;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage.Text("minimumTlsVersion"));
        Assert.True(storage["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.True(storage["defaultToOAuthAuthentication"]!.GetValue<bool>());
    }

    [Fact]
    public void TheDeploymentContainerIsPrivateAndTheAppDeploysFromItAsItsIdentity()
    {
        var storage = Public.Single(StorageAccounts);
        var container = Public.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.StartsWith($"{storage.Name}/default/app-package-", container.Name, StringComparison.Ordinal);
        Assert.Equal("None", container.Properties.Text("publicAccess"));

        var deployment = Public.Single(Sites).Properties.At("functionAppConfig.deployment.storage");
        Assert.Equal("blobContainer", deployment.Text("type"));
        Assert.Equal(storage.Runtime("primaryEndpoints.blob") + container.Name.Split('/')[^1], deployment.Text("value"));
        Assert.Equal("UserAssignedIdentity", deployment.Text("authentication.type"));
        Assert.Equal(Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id, deployment.Text("authentication.userAssignedIdentityResourceId"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void EveryTableTheAppUsesIsDeclaredWithTheTablePrefix(bool privateNetworking)
    {
        var deployment = Mode(privateNetworking);
        var prefix = privateNetworking ? "izprod" : "";
        var storage = deployment.Single(StorageAccounts);
        var declared = deployment.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => t.Name).Order(StringComparer.Ordinal);
        var used = Tables.Names.Select(n => $"{storage.Name}/default/{prefix}{n}").Order(StringComparer.Ordinal);
        Assert.Equal(used, declared);
        Assert.Equal(prefix, deployment.AppSettings().Text(Setting(StorageOptions.Section, nameof(StorageOptions.TablePrefix))));
    }

    [Fact]
    public void TheAppRunsOnAFlexConsumptionPlan()
    {
        var plan = Public.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Declaration.Text("sku.name"));
        Assert.Equal("FlexConsumption", plan.Declaration.Text("sku.tier"));
        Assert.True(plan.Properties["reserved"]!.GetValue<bool>());
        var app = Public.Single(Sites);
        Assert.Equal(plan.Id, app.Properties.Text("serverFarmId"));
        Assert.Equal("functionapp,linux", app.Declaration.Text("kind"));
        Assert.Equal("api", app.Declaration.Text("tags.azd-service-name"));
    }

    [Theory]
    [InlineData(false, 2048, 40)]
    [InlineData(true, 4096, 100)]
    public void TheRuntimeIsDotnetIsolated10AndScaleComesFromParameters(bool privateNetworking, int memory, int instances)
    {
        var config = Mode(privateNetworking).Single(Sites).Properties["functionAppConfig"];
        Assert.Equal("dotnet-isolated", config.Text("runtime.name"));
        Assert.Equal("10.0", config.Text("runtime.version"));
        Assert.Equal(memory, config.At("scaleAndConcurrency.instanceMemoryMB")!.GetValue<long>());
        Assert.Equal(instances, config.At("scaleAndConcurrency.maximumInstanceCount")!.GetValue<long>());
        var allowed = template.Compiled.Arm["parameters"]!["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>());
        Assert.Equal([512, 2048, 4096], allowed);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheAppIsHttpsOnlyWithTls12AndNoFtpOrBasicPublishingCredentials(bool privateNetworking)
    {
        var deployment = Mode(privateNetworking);
        var app = deployment.Single(Sites);
        Assert.True(app.Properties["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", app.Properties.Text("siteConfig.minTlsVersion"));
        Assert.Equal("1.2", app.Properties.Text("siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", app.Properties.Text("siteConfig.ftpsState"));
        var policies = deployment.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal([$"{app.Name}/ftp", $"{app.Name}/scm"], policies.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False(p.Properties["allow"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(true, new[] { "https://zones.example.org", "https://portal.azure.com" })]
    public void CorsOriginsComeFromTheParameter(bool privateNetworking, string[] origins)
    {
        var cors = Mode(privateNetworking).Single(Sites).Properties.At("siteConfig.cors")!;
        Assert.Equal(origins, cors["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.False(cors["supportCredentials"]!.GetValue<bool>());
    }

    [Fact]
    public void TheAppRunsAsTheUserAssignedIdentity()
    {
        var identity = Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var app = Public.Single(Sites).Declaration["identity"]!;
        Assert.Equal("UserAssigned", app.Text("type"));
        Assert.Equal([identity.Id], app["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheHostReachesItsStorageWithTheIdentity(bool privateNetworking)
    {
        var deployment = Mode(privateNetworking);
        var settings = deployment.AppSettings();
        var storage = deployment.Single(StorageAccounts);
        var identity = deployment.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal("managedidentity", settings.Text("AzureWebJobsStorage__credential"));
        Assert.Equal(identity.Runtime("clientId"), settings.Text("AzureWebJobsStorage__clientId"));
        Assert.Equal(storage.Runtime("primaryEndpoints.blob"), settings.Text("AzureWebJobsStorage__blobServiceUri"));
        Assert.Equal(storage.Runtime("primaryEndpoints.queue"), settings.Text("AzureWebJobsStorage__queueServiceUri"));
        Assert.Equal(storage.Runtime("primaryEndpoints.table"), settings.Text("AzureWebJobsStorage__tableServiceUri"));
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage as a connection string would need a key");
        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(settings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
        Assert.DoesNotContain(settings, s => s.Value!.ToString().Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
            || s.Value.ToString().Contains("InstrumentationKey=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheAppsOwnStorageSettingsAreTheOnesStorageOptionsReads()
    {
        var settings = Public.AppSettings();
        var storage = Public.Single(StorageAccounts);
        var identity = Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal(storage.Runtime("primaryEndpoints.table"), settings.Text(Setting(StorageOptions.Section, nameof(StorageOptions.TableServiceUri))));
        Assert.Equal(identity.Runtime("clientId"), settings.Text(Setting(StorageOptions.Section, nameof(StorageOptions.ClientId))));
        Assert.False(settings.ContainsKey(Setting(StorageOptions.Section, nameof(StorageOptions.ConnectionString))),
            "a connection string beside the endpoint is a configuration the app refuses");
    }

    [Fact]
    public void TheContinuationTokenKeyIsASecureParameterPassedToTheApp()
    {
        var parameter = template.Compiled.Arm["parameters"]!["continuationTokenKey"]!;
        Assert.Equal("securestring", parameter.Text("type"));
        Assert.Null(parameter["defaultValue"]);
        Assert.Equal(44, parameter["minLength"]!.GetValue<int>());
        Assert.Equal(TemplateFixture.TokenKey, Public.AppSettings().Text(Setting(ApiOptions.Section, nameof(ApiOptions.ContinuationTokenKey))));
        var module = Assert.Single(template.Compiled.Arm["resources"]!.AsArray(), r => r!["name"]?.ToString() == "function-app")!;
        Assert.Equal("securestring", module.At("properties.template.parameters.continuationTokenKey.type")!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, "0 */15 * * * *", "0 30 2 * * *")]
    [InlineData(true, "0 */5 * * * *", "0 30 2 * * *")]
    public void TheAggregatesSchedulesComeFromParameters(bool privateNetworking, string schedule, string fullSchedule)
    {
        var settings = Mode(privateNetworking).AppSettings();
        Assert.Equal(schedule, settings.Text("AggregatesSchedule"));
        Assert.Equal(fullSchedule, settings.Text("AggregatesFullSchedule"));
        Assert.Equal("true", settings.Text("AzureWebJobsDisableHomepage"));
    }

    [Fact]
    public void EveryScheduleSettingTheBuiltFunctionsNameIsSet()
    {
        var metadata = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"));
        Assert.NotEmpty(JsonNode.Parse(metadata)!.AsArray());
        var named = SettingReference().Matches(metadata).Select(m => m.Groups["name"].Value).Distinct().ToList();
        var settings = Public.AppSettings();
        Assert.All(named, name => Assert.True(settings.ContainsKey(name), $"functions.metadata names %{name}% but the template does not set it"));
    }

    [Fact]
    public void ApplicationInsightsIsReachedWithEntraIdAsTheIdentity()
    {
        var settings = Public.AppSettings();
        var insights = Public.Single("Microsoft.Insights/components");
        var identity = Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal(insights.Runtime("ConnectionString"), settings.Text("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        Assert.Equal($"ClientId={identity.Runtime("clientId")};Authorization=AAD", settings.Text("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    [Fact]
    public void LogAnalyticsAndApplicationInsightsHaveLocalAuthenticationOff()
    {
        var workspace = Public.Single("Microsoft.OperationalInsights/workspaces");
        var insights = Public.Single("Microsoft.Insights/components");
        Assert.True(workspace.Properties.At("features.disableLocalAuth")!.GetValue<bool>());
        Assert.True(insights.Properties["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Equal(workspace.Id, insights.Properties.Text("WorkspaceResourceId"));
    }

    public static TheoryData<string, string, string> IdentityRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", StorageAccounts },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", StorageAccounts },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", StorageAccounts },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(IdentityRoles))]
    public void TheIdentityHoldsEachRoleItNeedsOnItsResource(string role, string roleId, string scopeType)
    {
        var identity = Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var scope = Public.Single(scopeType);
        var assignment = Assert.Single(Public.OfType(RoleAssignments), a => a.Properties.Text("roleDefinitionId").EndsWith(roleId, StringComparison.Ordinal));
        Assert.Equal($"/subscriptions/{ArmDeployment.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleId}", assignment.Properties.Text("roleDefinitionId"));
        Assert.Equal(identity.Runtime("principalId"), assignment.Properties.Text("principalId"));
        Assert.Equal("ServicePrincipal", assignment.Properties.Text("principalType"));
        Assert.Equal($"{scope.Id}/providers/{RoleAssignments}/{assignment.Name}", assignment.Id);
        Assert.StartsWith(role + ":", assignment.Properties.Text("description"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheIdentityHoldsNoOtherRole() => Assert.Equal(4, Public.OfType(RoleAssignments).Count);

    [Fact]
    public void TheDeployingUserGetsTheStorageDataRolesWhenGiven()
    {
        var storage = Private.Single(StorageAccounts);
        var user = Private.OfType(RoleAssignments).Where(a => a.Properties.Text("principalId") == TemplateFixture.UserPrincipalId).ToList();
        Assert.Equal(
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"],
            user.Select(a => a.Properties.Text("roleDefinitionId").Split('/')[^1]).Order(StringComparer.Ordinal));
        Assert.All(user, a =>
        {
            Assert.Equal("User", a.Properties.Text("principalType"));
            Assert.StartsWith(storage.Id + "/providers/", a.Id, StringComparison.Ordinal);
        });
        Assert.Equal(7, Private.OfType(RoleAssignments).Count);
    }

    [Theory]
    [InlineData(false, "Standard_ZRS")]
    [InlineData(true, "Standard_GZRS")]
    public void StorageIsZoneRedundantUnlessAskedOtherwise(bool privateNetworking, string sku)
    {
        Assert.Equal(sku, Mode(privateNetworking).Single(StorageAccounts).Declaration.Text("sku.name"));
        var parameter = template.Compiled.Arm["parameters"]!["storageSku"]!;
        Assert.Equal("Standard_ZRS", parameter.Text("defaultValue"));
        Assert.Equal(["Standard_GZRS", "Standard_LRS", "Standard_ZRS"], parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ThePlanIsZoneRedundantByDefault(bool privateNetworking)
    {
        Assert.True(Mode(privateNetworking).Single("Microsoft.Web/serverfarms").Properties["zoneRedundant"]!.GetValue<bool>());
        Assert.True(template.Compiled.Arm["parameters"]!["zoneRedundant"]!["defaultValue"]!.GetValue<bool>());
    }

    [Fact]
    public void ADevelopmentEnvironmentMayTurnZoneRedundancyOffAndUseLocallyRedundantStorage()
    {
        var development = Expand(new() { ["storageSku"] = "Standard_LRS", ["zoneRedundant"] = false });
        Assert.Equal("Standard_LRS", development.Single(StorageAccounts).Declaration.Text("sku.name"));
        Assert.False(development.Single("Microsoft.Web/serverfarms").Properties["zoneRedundant"]!.GetValue<bool>());
    }

    [Fact]
    public void AZoneRedundantPlanOnLocallyRedundantStorageIsRefused()
    {
        var refused = Assert.Throws<ArmTemplateFailure>(() => Expand(new() { ["storageSku"] = "Standard_LRS" }));
        Assert.Contains("Standard_ZRS", refused.Message, StringComparison.Ordinal);
        Assert.Contains("zoneRedundant", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "blob")]
    [InlineData(false, "queue")]
    [InlineData(false, "table")]
    [InlineData(true, "table")]
    public void EachStorageServiceSendsItsReadsWritesDeletesAndTransactionsToLogAnalytics(bool privateNetworking, string service)
    {
        var deployment = Mode(privateNetworking);
        var serviceId = $"{deployment.Single(StorageAccounts).Id}/{service}Services/default";
        var setting = Assert.Single(deployment.OfType(DiagnosticSettings), d => d.Id.StartsWith(serviceId + "/providers/", StringComparison.Ordinal));
        Assert.Equal(deployment.Single("Microsoft.OperationalInsights/workspaces").Id, setting.Properties.Text("workspaceId"));
        Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], EnabledCategories(setting, "logs"));
        Assert.Equal(["Transaction"], EnabledCategories(setting, "metrics"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheFunctionAppSendsItsLogsAndMetricsToLogAnalytics(bool privateNetworking)
    {
        var deployment = Mode(privateNetworking);
        var setting = Assert.Single(deployment.OfType(DiagnosticSettings), d => d.Id.StartsWith(deployment.Single(Sites).Id + "/providers/", StringComparison.Ordinal));
        Assert.Equal(deployment.Single("Microsoft.OperationalInsights/workspaces").Id, setting.Properties.Text("workspaceId"));
        Assert.Equal(["FunctionAppLogs"], EnabledCategories(setting, "logs"));
        Assert.Equal(["AllMetrics"], EnabledCategories(setting, "metrics"));
    }

    [Fact]
    public void PublicModeHasNoNetworkAndStorageTakesPublicTraffic()
    {
        // A Flex Consumption app outside a virtual network reaches storage from addresses no network rule
        // can allow (infra/README.md, "Storage network access"): Deny here would lock the app out.
        Assert.DoesNotContain(Public.AllResources, r => r.Type.StartsWith("Microsoft.Network/", StringComparison.Ordinal));
        var storage = Public.Single(StorageAccounts).Properties;
        Assert.Equal("Enabled", storage.Text("publicNetworkAccess"));
        Assert.Equal("Allow", storage.Text("networkAcls.defaultAction"));
        Assert.Equal("AzureServices", storage.Text("networkAcls.bypass"));
        Assert.Null(Public.Single(Sites).Properties["virtualNetworkSubnetId"]);
    }

    [Fact]
    public void PrivateModeClosesStorageToThePublicNetwork()
    {
        var storage = Private.Single(StorageAccounts).Properties;
        Assert.Equal("Disabled", storage.Text("publicNetworkAccess"));
        Assert.Equal("Deny", storage.Text("networkAcls.defaultAction"));
    }

    [Fact]
    public void PrivateModeIntegratesTheAppIntoADelegatedSubnet()
    {
        var vnet = Private.Single("Microsoft.Network/virtualNetworks");
        var subnets = vnet.Properties["subnets"]!.AsArray();
        Assert.Equal(["app", "private-endpoints"], subnets.Select(s => s!.Text("name")));
        Assert.Equal("Microsoft.App/environments", subnets[0]!.At("properties.delegations")!.AsArray().Single()!.Text("properties.serviceName"));
        Assert.Equal(vnet.Runtime("subnets[0].id"), Private.Single(Sites).Properties.Text("virtualNetworkSubnetId"));
    }

    [Theory]
    [InlineData("blob")]
    [InlineData("queue")]
    [InlineData("table")]
    public void PrivateModeReachesEachStorageServiceThroughAPrivateEndpointAndDnsZone(string service)
    {
        var storage = Private.Single(StorageAccounts);
        var vnet = Private.Single("Microsoft.Network/virtualNetworks");
        var endpoint = Assert.Single(Private.OfType("Microsoft.Network/privateEndpoints"), e => e.Name.EndsWith("-" + service, StringComparison.Ordinal));
        var connection = endpoint.Properties["privateLinkServiceConnections"]!.AsArray().Single()!["properties"];
        Assert.Equal(storage.Id, connection.Text("privateLinkServiceId"));
        Assert.Equal([service], connection!["groupIds"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(vnet.Runtime("subnets[1].id"), endpoint.Properties.Text("subnet.id"));

        var zone = Assert.Single(Private.OfType("Microsoft.Network/privateDnsZones"), z => z.Name == $"privatelink.{service}.core.windows.net");
        var link = Assert.Single(Private.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks"), l => l.Name.StartsWith(zone.Name + "/", StringComparison.Ordinal));
        Assert.Equal(vnet.Id, link.Properties.Text("virtualNetwork.id"));
        var group = Assert.Single(Private.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups"), g => g.Name.StartsWith(endpoint.Name + "/", StringComparison.Ordinal));
        Assert.Equal(zone.Id, group.Properties["privateDnsZoneConfigs"]!.AsArray().Single()!.Text("properties.privateDnsZoneId"));
    }

    [Fact]
    public void OutputsNameTheAppItsUrlTheStorageAndTheTableEndpoint()
    {
        var app = Public.Single(Sites);
        var storage = Public.Single(StorageAccounts);
        Assert.Equal(app.Name, Public.Output("AZURE_FUNCTION_APP_NAME")!.GetValue<string>());
        Assert.Equal("https://" + app.Runtime("defaultHostName"), Public.Output("AZURE_FUNCTION_APP_URL")!.GetValue<string>());
        Assert.Equal(storage.Name, Public.Output("AZURE_STORAGE_ACCOUNT_NAME")!.GetValue<string>());
        Assert.Equal(storage.Runtime("primaryEndpoints.table"), Public.Output("AZURE_STORAGE_TABLE_ENDPOINT")!.GetValue<string>());
        Assert.Equal($"rg-{TemplateFixture.EnvironmentName}", Public.Output("AZURE_RESOURCE_GROUP")!.GetValue<string>());
        Assert.Equal(Public.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Runtime("clientId"), Public.Output("AZURE_IDENTITY_CLIENT_ID")!.GetValue<string>());
    }

    /// <summary>The defaults, with <paramref name="overrides"/> on top.</summary>
    private static ArmDeployment Expand(Dictionary<string, object?> overrides)
    {
        var values = new Dictionary<string, object?>
        {
            ["environmentName"] = TemplateFixture.EnvironmentName,
            ["location"] = TemplateFixture.Location,
            ["continuationTokenKey"] = TemplateFixture.TokenKey,
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return ArmDeployment.Expand(Bicep.MainTemplate.Arm, values);
    }

    /// <summary>The categories a diagnostic setting turns on in its <c>logs</c> or <c>metrics</c>, in order.</summary>
    internal static IEnumerable<string> EnabledCategories(ArmResource setting, string kind) =>
        setting.Properties[kind]!.AsArray().Where(c => c!["enabled"]!.GetValue<bool>()).Select(c => c!.Text("category")).Order(StringComparer.Ordinal);

    /// <summary>A setting name as the app reads it from the environment: Section__Property.</summary>
    private static string Setting(string section, string property) => $"{section}__{property}";

    [GeneratedRegex("%(?<name>[A-Za-z0-9_.:-]+)%")]
    private static partial Regex SettingReference();
}

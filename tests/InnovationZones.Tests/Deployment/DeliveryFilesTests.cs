using System.Diagnostics;
using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// What delivers the app besides the template: azure.yaml and its hooks, the azd and az parameter files,
/// and the GitHub workflows, checked offline for the facts a deployment depends on.
/// </summary>
[Trait("Category", Tier.Unit)]
public sealed class DeliveryFilesTests
{
    private static readonly string Root = RepoRoot.Find();

    private static Dictionary<object, object> Yaml(string path) =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(Root, path)));

    private static Dictionary<object, object> Map(object? value) => Assert.IsType<Dictionary<object, object>>(value);

    private static List<object> List(object? value) => Assert.IsType<List<object>>(value);

    private static IEnumerable<Dictionary<object, object>> Steps(Dictionary<object, object> workflow) =>
        Map(workflow["jobs"]).Values.SelectMany(job => List(Map(job)["steps"])).Select(Map);

    private static string? Get(Dictionary<object, object> map, string key) => map.TryGetValue(key, out var value) ? value?.ToString() : null;

    [Fact]
    public void AzureYamlDeploysTheFunctionAppProjectAsAFunctionApp()
    {
        var azure = Yaml("azure.yaml");
        var api = Map(Map(azure["services"])["api"]);
        Assert.Equal("dotnet", api["language"]);
        Assert.Equal("function", api["host"]);
        Assert.Equal("./src/InnovationZones.Functions", api["project"]);
        var project = Path.Combine(Root, "src", "InnovationZones.Functions", "InnovationZones.Functions.csproj");
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", File.ReadAllText(project), StringComparison.Ordinal);

        var infra = Map(azure["infra"]);
        Assert.Equal("bicep", infra["provider"]);
        Assert.True(File.Exists(Path.Combine(Root, (string)infra["path"], (string)infra["module"] + ".bicep")));
    }

    [Fact]
    public void AzureYamlHooksRunScriptsThatExistAndParse()
    {
        var hooks = Map(Yaml("azure.yaml")["hooks"]);
        Assert.Equal(["postdeploy", "preprovision"], hooks.Keys.Select(k => k.ToString()!).Order(StringComparer.Ordinal));
        foreach (var hook in hooks.Values.Select(Map))
        {
            var posix = Map(hook["posix"]);
            Assert.Equal("sh", posix["shell"]);
            var script = Path.Combine(Root, (string)posix["run"]);
            Assert.True(File.Exists(script), script);
            foreach (var shell in new[] { "bash", "sh" })
            {
                var check = RunProcess(shell, "-n", script);
                Assert.True(check.ExitCode == 0, $"{shell} -n {script}: {check.Output}");
            }

            var windows = Map(hook["windows"]);
            Assert.Equal("pwsh", windows["shell"]);
            Assert.True(File.Exists(Path.Combine(Root, (string)windows["run"])));
        }
    }

    [Theory]
    [InlineData("infra/hooks/postdeploy.sh")]
    [InlineData("infra/hooks/postdeploy.ps1")]
    public void ThePostdeployHookPostsTheBeijingDatasetToTheImportRouteWithTheFunctionKey(string hook)
    {
        var script = File.ReadAllText(Path.Combine(Root, hook));
        var routePrefix = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "host.json")))!["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();
        Assert.Contains($"/{routePrefix}/v1/import", script, StringComparison.Ordinal);
        Assert.Contains("x-functions-key", script, StringComparison.Ordinal);
        Assert.Contains("functionKeys.default", script, StringComparison.Ordinal);
        Assert.Contains("data/beijing.json", script, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "data", "beijing.json")));
        // With Front Door on, the app refuses direct calls: the import goes through the edge.
        Assert.Contains("AZURE_FRONT_DOOR_URL", script, StringComparison.Ordinal);
        Assert.NotNull(Bicep.MainTemplate.Arm["outputs"]!["AZURE_FRONT_DOOR_URL"]);
    }

    [Fact]
    public void MainParametersMapEveryRequiredParameterToAzdVariables()
    {
        var declared = Bicep.MainTemplate.Arm["parameters"]!.AsObject();
        var mapped = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.All(mapped, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets {p.Key}, which main.bicep does not declare"));
        Assert.All(declared.Where(p => p.Value!["defaultValue"] is null), p => Assert.True(mapped.ContainsKey(p.Key), $"required parameter {p.Key} is not mapped"));
        Assert.Equal("${AZURE_ENV_NAME}", mapped["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", mapped["location"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", mapped["principalId"]!["value"]!.GetValue<string>());
        Assert.Equal("${API_CONTINUATION_TOKEN_KEY}", mapped["continuationTokenKey"]!["value"]!.GetValue<string>());
        // Each default in the file is the template's own.
        Assert.Equal("${STORAGE_SKU=Standard_ZRS}", mapped["storageSku"]!["value"]!.GetValue<string>());
        Assert.Equal("${ZONE_REDUNDANT=true}", mapped["zoneRedundant"]!["value"]!.GetValue<string>());
        Assert.Equal("${FRONT_DOOR=false}", mapped["frontDoor"]!["value"]!.GetValue<string>());
        Assert.Equal("${FRONT_DOOR_RATE_LIMIT=1000}", mapped["frontDoorRateLimitPerMinute"]!["value"]!.GetValue<string>());
        foreach (var hook in new[] { "preprovision.sh", "preprovision.ps1" })
        {
            Assert.Contains("azd env set API_CONTINUATION_TOKEN_KEY", File.ReadAllText(Path.Combine(Root, "infra", "hooks", hook)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheAzParametersFileReadsTheEnvironmentAndSelectsTheNetworkMode(bool privateNetworking)
    {
        var environment = new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "iz-az",
            ["AZURE_LOCATION"] = "westeurope",
            ["API_CONTINUATION_TOKEN_KEY"] = TemplateFixture.TokenKey,
            ["PRIVATE_NETWORKING"] = privateNetworking ? "true" : "false",
            ["CORS_ALLOWED_ORIGINS"] = """["https://zones.example.org"]""",
        };
        var deployment = BuildParams(environment);

        Assert.Equal("rg-iz-az", deployment.Single("Microsoft.Resources/resourceGroups").Name);
        Assert.Equal(TemplateFixture.TokenKey, deployment.AppSettings().Text("Api__ContinuationTokenKey"));
        Assert.Equal(["https://zones.example.org"], deployment.Single("Microsoft.Web/sites").Properties.At("siteConfig.cors.allowedOrigins")!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(privateNetworking ? "Disabled" : "Enabled", deployment.Single("Microsoft.Storage/storageAccounts").Properties.Text("publicNetworkAccess"));
        Assert.Equal(privateNetworking ? 3 : 0, deployment.OfType("Microsoft.Network/privateEndpoints").Count);
        Assert.Equal("Standard_ZRS", deployment.Single("Microsoft.Storage/storageAccounts").Declaration.Text("sku.name"));
        Assert.True(deployment.Single("Microsoft.Web/serverfarms").Properties["zoneRedundant"]!.GetValue<bool>());
        Assert.Empty(deployment.OfType("Microsoft.Cdn/profiles"));
    }

    [Fact]
    public void TheAzParametersFileReadsRedundancyAndTheEdgeFromTheEnvironment()
    {
        var deployment = BuildParams(new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "iz-dev",
            ["AZURE_LOCATION"] = "westeurope",
            ["API_CONTINUATION_TOKEN_KEY"] = TemplateFixture.TokenKey,
            ["STORAGE_SKU"] = "Standard_LRS",
            ["ZONE_REDUNDANT"] = "false",
            ["FRONT_DOOR"] = "true",
            ["FRONT_DOOR_RATE_LIMIT"] = "300",
        });
        Assert.Equal("Standard_LRS", deployment.Single("Microsoft.Storage/storageAccounts").Declaration.Text("sku.name"));
        Assert.False(deployment.Single("Microsoft.Web/serverfarms").Properties["zoneRedundant"]!.GetValue<bool>());
        Assert.Single(deployment.OfType("Microsoft.Cdn/profiles"));
        var rule = deployment.Single("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies").Properties.At("customRules.rules")!.AsArray().Single()!;
        Assert.Equal(300, rule["rateLimitThreshold"]!.GetValue<long>());
    }

    /// <summary>deploy.bicepparam linted and built with <paramref name="environment"/>, and what it would deploy.</summary>
    private static ArmDeployment BuildParams(Dictionary<string, string> environment)
    {
        var paramsFile = Path.Combine(Root, "infra", "deploy.bicepparam");
        var lint = Bicep.Run(environment, "lint", paramsFile);
        Assert.True(lint.ExitCode == 0 && (lint.Output + lint.Diagnostics).Trim().Length == 0, lint.Output + lint.Diagnostics);

        var built = Bicep.Run(environment, "build-params", paramsFile, "--stdout");
        Assert.True(built.ExitCode == 0 && built.Diagnostics.Trim().Length == 0, built.Diagnostics);
        var output = JsonNode.Parse(built.Output)!;
        var parameters = JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
        var values = parameters.ToDictionary(p => p.Key, p => ToValue(p.Value!["value"]));
        return ArmDeployment.Expand(JsonNode.Parse(output["templateJson"]!.GetValue<string>())!.AsObject(), values);
    }

    [Fact]
    public void CiRestoresBuildsAndRunsTheTestsWithNodeForAzurite()
    {
        var steps = Steps(Yaml(".github/workflows/ci.yml")).ToList();
        Assert.Contains(steps, s => Get(s, "uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true);
        var dotnet = Assert.Single(steps, s => Get(s, "uses")?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
        Assert.StartsWith("10.", Get(Map(dotnet["with"]), "dotnet-version"), StringComparison.Ordinal);
        Assert.Contains(steps, s => Get(s, "uses")?.StartsWith("actions/setup-node@", StringComparison.Ordinal) == true);
        Assert.Contains(steps, s => Get(s, "run") == "dotnet restore");
        Assert.Contains(steps, s => Get(s, "run") == "bash .ci/run");
    }

    [Fact]
    public void DeployRunsAzdOnManualDispatchWithFederatedCredentials()
    {
        var workflow = Yaml(".github/workflows/deploy.yml");
        Assert.Equal(["workflow_dispatch"], Map(workflow["on"]).Keys.Select(k => k.ToString()));
        Assert.Equal("write", Map(workflow["permissions"])["id-token"]);
        var runs = Steps(workflow).Select(s => Get(s, "run")).OfType<string>().ToList();
        var login = Assert.Single(runs, r => r.Contains("azd auth login", StringComparison.Ordinal));
        Assert.Contains("--federated-credential-provider github", login, StringComparison.Ordinal);
        Assert.Contains("--client-id", login, StringComparison.Ordinal);
        Assert.Contains("--tenant-id", login, StringComparison.Ordinal);
        Assert.Contains(runs, r => r.StartsWith("azd provision", StringComparison.Ordinal));
        Assert.Contains(runs, r => r.StartsWith("azd deploy", StringComparison.Ordinal));
        Assert.DoesNotContain("client-secret", File.ReadAllText(Path.Combine(Root, ".github", "workflows", "deploy.yml")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DependabotWatchesNuGetNpmAndGitHubActions()
    {
        var updates = List(Yaml(".github/dependabot.yml")["updates"]).Select(Map).ToList();
        Assert.Equal(["github-actions", "npm", "nuget"], updates.Select(u => Get(u, "package-ecosystem")).Order(StringComparer.Ordinal));
        Assert.All(updates, u => Assert.Equal("/", Get(u, "directory")));
    }

    private static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Select(ToValue).ToList(),
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToValue(p.Value), StringComparer.OrdinalIgnoreCase),
        _ => node.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            System.Text.Json.JsonValueKind.Number => node.GetValue<long>(),
            _ => node.GetValue<string>(),
        },
    };

    private static (int ExitCode, string Output) RunProcess(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}

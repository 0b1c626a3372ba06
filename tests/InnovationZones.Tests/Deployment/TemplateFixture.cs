using System.Text.Json.Nodes;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// infra/main.bicep compiled once, and what it deploys in its two modes: public (the defaults) and private
/// network mode, each with its own parameter values so that a test can see every value come through; and
/// the defaults with Front Door in front of the app.
/// </summary>
public sealed class TemplateFixture
{
    public const string EnvironmentName = "iz-test";
    public const string Location = "swedencentral";
    public const string TokenKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public const string UserPrincipalId = "11111111-2222-3333-4444-555555555555";
    public const long EdgeRateLimit = 600;

    public TemplateFixture()
    {
        Compiled = Bicep.MainTemplate;
        Public = ArmDeployment.Expand(Compiled.Arm, new Dictionary<string, object?>
        {
            ["environmentName"] = EnvironmentName,
            ["location"] = Location,
            ["continuationTokenKey"] = TokenKey,
        });
        Private = ArmDeployment.Expand(Compiled.Arm, new Dictionary<string, object?>
        {
            ["environmentName"] = EnvironmentName,
            ["location"] = Location,
            ["continuationTokenKey"] = TokenKey,
            ["privateNetworking"] = true,
            ["principalId"] = UserPrincipalId,
            ["corsAllowedOrigins"] = new List<object?> { "https://zones.example.org", "https://portal.azure.com" },
            ["instanceMemoryMB"] = 4096L,
            ["maximumInstanceCount"] = 100L,
            ["tablePrefix"] = "izprod",
            ["aggregatesSchedule"] = "0 */5 * * * *",
            ["aggregatesFullSchedule"] = "0 30 2 * * *",
            ["storageSku"] = "Standard_GZRS",
        });
        Edge = ArmDeployment.Expand(Compiled.Arm, new Dictionary<string, object?>
        {
            ["environmentName"] = EnvironmentName,
            ["location"] = Location,
            ["continuationTokenKey"] = TokenKey,
            ["frontDoor"] = true,
            ["frontDoorRateLimitPerMinute"] = EdgeRateLimit,
            ["corsAllowedOrigins"] = new List<object?> { "https://Zones.example.org", "https://portal.azure.com" },
        });
    }

    internal Bicep.Compiled Compiled { get; }

    internal ArmDeployment Public { get; }

    internal ArmDeployment Private { get; }

    /// <summary>The defaults with Front Door on (its own rate limit and CORS origins).</summary>
    internal ArmDeployment Edge { get; }
}

internal static class DeployedResources
{
    public static ArmResource Single(this ArmDeployment deployment, string type) =>
        Assert.Single(deployment.AllResources, r => r.Type == type);

    public static IReadOnlyList<ArmResource> OfType(this ArmDeployment deployment, string type) =>
        [.. deployment.AllResources.Where(r => r.Type == type)];

    public static string Text(this JsonNode? node, string path)
    {
        var value = At(node, path);
        Assert.True(value is JsonValue, $"{path} is not a value: {value?.ToJsonString() ?? "null"}");
        return value!.ToString();
    }

    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node;
    }

    /// <summary>The function app's settings (the sites/config 'appsettings' resource).</summary>
    public static JsonObject AppSettings(this ArmDeployment deployment) =>
        Assert.Single(deployment.OfType("Microsoft.Web/sites/config"), c => c.Name.EndsWith("/appsettings", StringComparison.Ordinal))
            .Properties.AsObject();

    /// <summary>How the template refers to a property that Azure sets when it creates the resource.</summary>
    public static string Runtime(this ArmResource resource, string property) => $"<reference({resource.Id}).{property}>";
}

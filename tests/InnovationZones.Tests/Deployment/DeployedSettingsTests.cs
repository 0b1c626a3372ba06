using System.Text.RegularExpressions;
using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// The app started on exactly the settings the template gives it (what only Azure knows filled in with
/// values of the right shape): its own registration accepts them and reaches the deployed tables.
/// </summary>
[Trait("Category", Tier.Unit)]
public sealed partial class DeployedSettingsTests(TemplateFixture template) : IClassFixture<TemplateFixture>
{
    private const string ClientId = "00000000-0000-0000-0000-0000000000c1";

    private static ServiceProvider Start(ArmDeployment deployment)
    {
        var account = deployment.Single("Microsoft.Storage/storageAccounts").Name;
        var settings = deployment.AppSettings().ToDictionary<KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>, string, string?>(
            // App settings reach the app as environment variables, where __ separates sections.
            s => s.Key.Replace("__", ":", StringComparison.Ordinal),
            s => Placeholder().Replace(s.Value!.ToString(), m => m.Groups["property"].Value switch
            {
                "clientId" => ClientId,
                "hostName" => "api-test-abcdefghijklmnop.z01.azurefd.net",
                var endpoint when endpoint.StartsWith("primaryEndpoints.", StringComparison.Ordinal) =>
                    $"https://{account}.{endpoint["primaryEndpoints.".Length..]}.core.windows.net/",
                var other => $"<{other}>",
            }));
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddInnovationZones()
            .BuildServiceProvider();
    }

    [Theory]
    [InlineData("public")]
    [InlineData("private")]
    [InlineData("edge")]
    public void TheAppAcceptsTheDeployedSettingsAndReachesTheDeployedTables(string mode)
    {
        var deployment = mode switch { "private" => template.Private, "edge" => template.Edge, _ => template.Public };
        using var services = Start(deployment);

        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Null(storage.ConnectionString);
        Assert.Equal(ClientId, storage.ClientId);
        var account = deployment.Single("Microsoft.Storage/storageAccounts").Name;
        Assert.Equal(new Uri($"https://{account}.table.core.windows.net/"), services.GetRequiredService<TableServiceClient>().Uri);

        var declared = deployment.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => t.Name.Split('/')[^1]).ToHashSet(StringComparer.Ordinal);
        Assert.All(services.GetRequiredService<Tables>().All, table => Assert.Contains(table.Name, declared));

        // The deployed key is the one that signs continuation tokens: Paging refuses a key it cannot use.
        Assert.Equal(TemplateFixture.TokenKey, services.GetRequiredService<IOptions<ApiOptions>>().Value.ContinuationTokenKey);
        Assert.NotNull(services.GetRequiredService<Paging>());
    }

    [GeneratedRegex(@"<reference\([^)]*\)\.(?<property>[A-Za-z.]+)>")]
    private static partial Regex Placeholder();
}

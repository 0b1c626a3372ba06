using InnovationZones.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Storage;

/// <summary>Configuration alone chooses the storage; a configuration that chooses nothing, or both, fails at start.</summary>
public sealed class StorageOptionsTests
{
    private static StorageOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddInnovationZones()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<StorageOptions>>().Value;
    }

    [Fact]
    public void AConnectionStringIsEnough() =>
        Assert.Equal("UseDevelopmentStorage=true", Resolve(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }).ConnectionString);

    [Fact]
    public void AnEndpointWithAnIdentityIsEnough()
    {
        var options = Resolve(new() { ["Storage:TableServiceUri"] = "https://account.table.core.windows.net", ["Storage:ClientId"] = "00000000-0000-0000-0000-000000000001" });
        Assert.Equal(new Uri("https://account.table.core.windows.net"), options.TableServiceUri);
        var client = Extensions.CreateTableServiceClient(options);
        Assert.Equal("account", client.AccountName);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("UseDevelopmentStorage=true", "https://account.table.core.windows.net")]
    public void NeitherOrBothIsAConfigurationError(string? connectionString, string? endpoint)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TableServiceUri"] = endpoint,
        }));
        Assert.Contains("Storage__ConnectionString", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("has-hyphen")]
    [InlineData("waytoolongprefixwaytoolongprefix1")]
    public void ATablePrefixMustMakeValidTableNames(string prefix) =>
        Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["Storage:TablePrefix"] = prefix }));
}

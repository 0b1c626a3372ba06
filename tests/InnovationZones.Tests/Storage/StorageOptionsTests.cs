using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables.Sas;
using InnovationZones.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Storage;

/// <summary>Configuration alone chooses the storage; a configuration that chooses nothing, or both, fails at start.</summary>
[Trait("Category", Tier.Unit)]
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

    [Fact]
    public async Task AnEndpointWithoutAConnectionStringSignsRequestsWithAnEntraIdToken()
    {
        var options = Resolve(new() { ["Storage:TableServiceUri"] = "https://account.table.core.windows.net", ["Storage:ClientId"] = "00000000-0000-0000-0000-000000000001" });
        var credential = new RecordingCredential();
        using var handler = new RecordingHandler();
        using var http = new HttpClient(handler);
        var client = Extensions.CreateTableServiceClient(options, credential, new HttpClientTransport(http));

        await foreach (var table in client.QueryAsync())
        {
            Assert.Fail($"no table expected, got {table.Name}");
        }

        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://account.table.core.windows.net/Tables", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("Bearer token-for-tables", request.Authorization);
    }

    [Fact]
    public void AnEndpointWithoutAConnectionStringBuildsAClientWithoutAnAccountKey()
    {
        var endpoint = Extensions.CreateTableServiceClient(Resolve(new() { ["Storage:TableServiceUri"] = "https://account.table.core.windows.net" }));
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);
        // Only a shared key signs a SAS: the endpoint's client has none, Azurite's connection string has one.
        Assert.ThrowsAny<Exception>(() => endpoint.GenerateSasUri(TableAccountSasPermissions.Read, TableAccountSasResourceTypes.Service, expires));
        var azurite = Extensions.CreateTableServiceClient(Resolve(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }));
        Assert.Contains("sig=", azurite.GenerateSasUri(TableAccountSasPermissions.Read, TableAccountSasResourceTypes.Service, expires).Query, StringComparison.Ordinal);
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

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-tables", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers every request with an empty table list, and remembers what it was asked; no network.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<(Uri Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"value\":[]}", Encoding.UTF8, "application/json"),
            });
        }
    }
}

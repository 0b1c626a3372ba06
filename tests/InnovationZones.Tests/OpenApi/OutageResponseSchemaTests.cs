using InnovationZones.Storage;
using InnovationZones.Tests.EndToEnd;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>The 503s of a storage outage (a problem, or health's own report, with Retry-After) match the document too.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class OutageResponseSchemaTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync() =>
        server = await ApiServer.StartAsync(loadBeijing: false, storage: new StorageOptions { ConnectionString = StorageOutageTests.Unreachable, TablePrefix = "outage" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("/v1/zones", "api/v1/zones")]
    [InlineData("/v1/zones/{zoneId}", "api/v1/zones/zhongguancun-science-city")]
    [InlineData("/health", "api/health")]
    public Task OutageResponseValidatesAgainstTheDocument(string route, string path) =>
        DocumentAssert.MatchesDocumentAsync(server.Client, route, path, 503);
}

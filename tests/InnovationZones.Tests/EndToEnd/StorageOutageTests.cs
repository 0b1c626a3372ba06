using System.Diagnostics;
using System.Net;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>When storage does not answer, callers get a 503 problem with Retry-After, quickly; never a 500.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class StorageOutageTests : IAsyncLifetime
{
    // Azurite's well-known development account, at a port where nothing listens.
    public static readonly string Unreachable = InnovationZones.DevHost.Azurite.ConnectionStringFor(9);

    private ApiServer server = null!;

    public async Task InitializeAsync() =>
        server = await ApiServer.StartAsync(loadBeijing: false, storage: new StorageOptions { ConnectionString = Unreachable, TablePrefix = "outage" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("api/v1/zones")]
    [InlineData("api/v1/zones/zhongguancun-science-city")]
    [InlineData("api/v1/organizations?zone=zhongguancun-science-city")]
    [InlineData("api/v1/cities/beijing/metrics")]
    public async Task ReadsAnswerStorageUnavailableWithRetryAfter(string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await server.Client.GetAsync(path);
        await HttpAssert.ProblemAsync(response, 503, "StorageUnavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task HealthIsUnavailable()
    {
        using var response = await server.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("\"storage\":\"unhealthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

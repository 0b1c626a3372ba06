using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.OpenApi;

/// <summary>Real responses of the stats endpoints, after a full recompute of the Beijing data, validated against the document.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class StatsResponseSchemaTests(StatsResponseSchemaTests.Server server) : IClassFixture<StatsResponseSchemaTests.Server>
{
    /// <summary>The Beijing data with its aggregates computed.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Api = await ApiServer.StartAsync();
            var run = await Api.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
            Assert.Equal(RunStatus.Succeeded, run.Status);
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    public static TheoryData<string, string, int> Requests => new()
    {
        { "/v1/stats/cities/{cityId}", "api/v1/stats/cities/beijing", 200 },
        { "/v1/stats/zones/{zoneId}", "api/v1/stats/zones/zhongguancun-science-city", 200 },
        { "/v1/stats/zones/{zoneId}", "api/v1/stats/zones/yizhuang-economic-development-zone", 200 },
        { "/v1/stats/organizations/{orgId}", "api/v1/stats/organizations/world-internet-conference", 200 },
        { "/v1/stats/industries", "api/v1/stats/industries", 200 },
        { "/v1/stats/industries/{industry}", "api/v1/stats/industries/quantum-information", 200 },
        { "/v1/stats/organization-types", "api/v1/stats/organization-types", 200 },
        { "/v1/stats/runs", "api/v1/stats/runs", 200 },
        { "/v1/stats/runs", "api/v1/stats/runs?maxpagesize=1", 200 },
        { "/v1/stats/runs/latest", "api/v1/stats/runs/latest", 200 },
        // Problems
        { "/v1/stats/zones/{zoneId}", "api/v1/stats/zones/atlantis", 404 },
        { "/v1/stats/industries/{industry}", "api/v1/stats/industries/alchemy", 404 },
        { "/v1/stats/cities/{cityId}", "api/v1/stats/cities/Not_A_Slug", 400 },
        { "/v1/stats/industries", "api/v1/stats/industries?maxpagesize=2", 400 },
        { "/v1/stats/runs", "api/v1/stats/runs?continuationToken=forged", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public Task ResponseValidatesAgainstTheDocumentForItsRouteAndStatus(string route, string path, int status) =>
        DocumentAssert.MatchesDocumentAsync(server.Api.Client, route, path, status);

    [Fact]
    public async Task NotModifiedAnswersWithTheRunAsETag()
    {
        using var first = await server.Api.Client.GetAsync("api/v1/stats/zones/zhongguancun-science-city");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/stats/zones/zhongguancun-science-city");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());

        using var response = await DocumentAssert.MatchesDocumentAsync(server.Api.Client, "/v1/stats/zones/{zoneId}", request, 304);

        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
    }
}

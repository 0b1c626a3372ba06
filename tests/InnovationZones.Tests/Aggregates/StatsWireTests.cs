using System.Net;
using System.Net.Http.Headers;
using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.Aggregates;

/// <summary>
/// Stats on the wire: the ETag is the run that computed them, If-None-Match gets a 304, CSV is offered,
/// and caches may keep a response until the next scheduled recompute (the test host's is 1 January).
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class StatsWireTests : IAsyncLifetime
{
    private ApiServer server = null!;
    private RunRecord run = null!;

    public static TheoryData<string> Endpoints() =>
    [
        "api/v1/stats/cities/beijing",
        "api/v1/stats/zones/zhongguancun-science-city",
        "api/v1/stats/organizations/world-internet-conference",
        "api/v1/stats/industries",
        "api/v1/stats/industries/blockchain",
        "api/v1/stats/organization-types",
        "api/v1/stats/runs/latest",
    ];

    public async Task InitializeAsync()
    {
        server = await ApiServer.StartAsync();
        run = await server.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task StatsAreTaggedWithTheirRunAnswer304AndLastUntilTheNextRecompute(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var etag = response.Headers.ETag!;
        Assert.StartsWith("\"" + run.RunId, etag.Tag, StringComparison.Ordinal);
        var maxAge = response.Headers.CacheControl!.MaxAge!.Value;
        var untilNewYear = new DateTimeOffset(DateTimeOffset.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeZoneInfo.Local.GetUtcOffset(new DateTime(DateTimeOffset.UtcNow.Year + 1, 1, 1))) - DateTimeOffset.UtcNow;
        Assert.InRange(maxAge, untilNewYear - TimeSpan.FromMinutes(5), untilNewYear + TimeSpan.FromMinutes(5));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task StatsAreAlsoCsvWithTheirOwnTag(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".csv\"", response.Headers.ETag!.Tag, StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, "a header row and at least one row");
        Assert.Contains(path.EndsWith("latest", StringComparison.Ordinal) ? "runId" : "computedAt", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatsRunsArePagedWithTheListConventions()
    {
        using var response = await server.Client.GetAsync("api/v1/stats/runs?maxpagesize=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/stats/runs/latest");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        await HttpAssert.ProblemAsync(await server.Client.SendAsync(request), 406, "NotAcceptable");
    }
}

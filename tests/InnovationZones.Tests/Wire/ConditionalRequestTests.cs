using System.Globalization;
using System.Net;
using InnovationZones.Benchmarks;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Wire;

/// <summary>Every GET sends an ETag and Cache-Control, and answers 304 with no body when the caller's copy is current.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ConditionalRequestTests(ConditionalRequestTests.Server server) : IClassFixture<ConditionalRequestTests.Server>
{
    /// <summary>Beijing's data on a host of this class's own: the tests count the storage requests to its tables.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync() => Api = await ApiServer.StartAsync();

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    private ApiServer Api => server.Api;

    /// <summary>Every GET endpoint that answers 200 with data (health is no-store and has no validator).</summary>
    public static TheoryData<string> Endpoints() =>
    [
        "api/v1/zones",
        "api/v1/zones?kind=science-city",
        "api/v1/zones?city=beijing&industry=quantum-information",
        "api/v1/zones/zhongguancun-science-city",
        "api/v1/zones/zhongguancun-science-city/metrics",
        "api/v1/zones/zhongguancun-science-city/metrics?indicator=rd-expenditure",
        "api/v1/zones/huairou-science-city/organizations",
        "api/v1/organizations",
        "api/v1/organizations?maxpagesize=2",
        "api/v1/organizations?namePrefix=china",
        "api/v1/organizations/gsma",
        "api/v1/organizations/world-internet-conference/relations",
        "api/v1/cities",
        "api/v1/cities/beijing",
        "api/v1/cities/beijing/metrics",
        "api/v1/industries",
        "api/v1/zones/zhongguancun-science-city/metrics/rd-expenditure/2021",
        "api/v1/cities/beijing/metrics/innovation-platforms-gdp-share/2022",
        "api/v1/organizations/world-internet-conference/relations/initiated-by/organization/gsma",
    ];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryGetSendsAnETagAndAnswers304ToIt(string path)
    {
        using var first = await Api.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl?.ToString());

        using var again = await GetAsync(path, ("If-None-Match", etag.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Equal("public, max-age=60", again.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("api/v1/zones/huairou-science-city")]
    [InlineData("api/v1/organizations?type=international-organization")]
    public async Task IfNoneMatchTakesListsWeakTagsAndAStar(string path)
    {
        using var first = await Api.Client.GetAsync(path);
        var etag = first.Headers.ETag!;
        var weak = etag.IsWeak ? etag.ToString() : "W/" + etag.Tag;

        foreach (var header in new[] { $"\"other\", {etag}", weak, "*", $"W/\"nope\",{etag}" })
        {
            using var response = await GetAsync(path, ("If-None-Match", header));
            Assert.True(response.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {header} gave {(int)response.StatusCode}");
        }

        using var stale = await GetAsync(path, ("If-None-Match", "\"stale\", W/\"older\""));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag);
        Assert.NotEmpty(await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AStarDoesNotTurnAnUnknownZoneInto304()
    {
        using var list = await GetAsync("api/v1/zones/atlantis/metrics", ("If-None-Match", "*"));
        await HttpAssert.ProblemAsync(list, 404, "ZoneNotFound");
        using var entity = await GetAsync("api/v1/zones/atlantis", ("If-None-Match", "*"));
        await HttpAssert.ProblemAsync(entity, 404, "ZoneNotFound");
    }

    [Fact]
    public async Task AnEntityHasLastModifiedAndHonoursIfModifiedSinceOnlyWithoutIfNoneMatch()
    {
        const string path = "api/v1/organizations/cnnic";
        using var first = await Api.Client.GetAsync(path);
        var lastModified = first.Content.Headers.LastModified;
        Assert.NotNull(lastModified);
        Assert.True(lastModified <= DateTimeOffset.UtcNow && lastModified > DateTimeOffset.UtcNow.AddHours(-1), $"Last-Modified {lastModified}");

        using var same = await GetAsync(path, ("If-Modified-Since", lastModified.Value.ToString("R", CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Equal(first.Headers.ETag, same.Headers.ETag);

        using var earlier = await GetAsync(path, ("If-Modified-Since", lastModified.Value.AddSeconds(-1).ToString("R", CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);

        // If-None-Match decides when both are sent: a stale tag means 200 even though the date matches.
        using var both = await GetAsync(path,
            ("If-Modified-Since", lastModified.Value.ToString("R", CultureInfo.InvariantCulture)),
            ("If-None-Match", "\"stale\""));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);

        using var garbage = await GetAsync(path, ("If-Modified-Since", "yesterday"));
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
    }

    [Fact]
    public async Task ListsHaveNoLastModified()
    {
        using var response = await Api.Client.GetAsync("api/v1/zones");
        Assert.Null(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task HealthAndProblemsAreNeverStored()
    {
        using var health = await Api.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("no-store", health.Headers.CacheControl?.ToString());
        Assert.Null(health.Headers.ETag);

        foreach (var path in new[] { "api/v1/zones/atlantis", "api/v1/zones?kind=science-town", "api/nowhere" })
        {
            using var problem = await Api.Client.GetAsync(path);
            Assert.Equal("no-store", problem.Headers.CacheControl?.ToString());
            Assert.Null(problem.Headers.ETag);
        }
    }

    [DevHostOnlyTheory("It counts the app's storage requests in the test process, where the dev host runs the app.")]
    [InlineData("api/v1/zones/zhongguancun-science-city")]
    [InlineData("api/v1/zones?city=beijing&industry=quantum-information")]
    [InlineData("api/v1/zones/zhongguancun-science-city/metrics")]
    [InlineData("api/v1/organizations?zone=zhongguancun-science-city&industry=blockchain")]
    public async Task A304FromTheReadCacheCostsNoStorageRequest(string path)
    {
        using var first = await Api.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var requests = new StorageRequestCount(Api.Storage.TablePrefix!, transactions: false);
        using var again = await GetAsync(path, ("If-None-Match", first.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(0, requests.Count);
    }

    /// <summary>
    /// Asked fresh, a 304 reads storage once: the point read, or the page's query (its filter checks are
    /// skipped, since the ETag proves they passed). Without the tag, a fresh list runs them too.
    /// </summary>
    [DevHostOnlyTheory("It counts the app's storage requests in the test process, where the dev host runs the app.")]
    [InlineData("api/v1/zones/zhongguancun-science-city", 1)]
    [InlineData("api/v1/organizations/cnnic", 1)]
    [InlineData("api/v1/zones?city=beijing&industry=quantum-information", 3)]
    [InlineData("api/v1/organizations?zone=zhongguancun-science-city&industry=blockchain", 3)]
    public async Task A304AskedFreshCostsOneStorageRead(string path, int full)
    {
        using var first = await Api.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var requests = new StorageRequestCount(Api.Storage.TablePrefix!, transactions: false);
        using var again = await GetAsync(path, ("If-None-Match", first.Headers.ETag!.ToString()), ("Cache-Control", "no-cache"));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(1, requests.Count);

        requests.Reset();
        using var fresh = await GetAsync(path, ("Cache-Control", "no-cache"));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(full, requests.Count);
    }

    [Fact]
    public async Task ChangingAnEntityChangesItsETagAndTheListsThatShowIt()
    {
        await using var own = await ApiServer.StartAsync();
        const string zone = "api/v1/zones/future-science-city";
        const string list = "api/v1/zones?kind=science-city";
        using var before = await own.Client.GetAsync(zone);
        using var listBefore = await own.Client.GetAsync(list);
        var etag = before.Headers.ETag!.ToString();
        var listEtag = listBefore.Headers.ETag!.ToString();

        var dataset = DatasetImporter.Parse(await File.ReadAllTextAsync(ApiServer.BeijingDataset));
        var changed = dataset.Zones!.Single(z => z.Id == "future-science-city") with { Name = "Future Science City (renamed)" };
        using (var import = await own.Client.PostAsync("api/v1/import", new StringContent(
            InnovationZones.Contracts.ApiJson.Serialize(new Dataset(Zones: [changed])), System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        using var after = await GetAsync(own, zone, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag!.ToString());
        Assert.Contains("Future Science City (renamed)", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var listAfter = await GetAsync(own, list, ("If-None-Match", listEtag));
        Assert.Equal(HttpStatusCode.OK, listAfter.StatusCode);
        Assert.NotEqual(listEtag, listAfter.Headers.ETag!.ToString());

        using var current = await GetAsync(own, zone, ("If-None-Match", after.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, current.StatusCode);
    }

    [Fact]
    public async Task TheSameEmptyPageOfAnotherQueryHasAnotherETag()
    {
        using var a = await Api.Client.GetAsync("api/v1/zones/zhongguancun-science-city/metrics?from=2030");
        using var b = await Api.Client.GetAsync("api/v1/zones/huairou-science-city/metrics?from=2030");
        Assert.Equal(await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
        Assert.NotEqual(a.Headers.ETag, b.Headers.ETag);
    }

    private Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers) => GetAsync(Api, path, headers);

    internal static async Task<HttpResponseMessage> GetAsync(ApiServer api, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), name);
        }

        return await api.Client.SendAsync(request);
    }
}

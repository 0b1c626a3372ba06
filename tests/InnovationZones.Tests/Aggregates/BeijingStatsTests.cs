using System.Net;
using System.Text.Json.Nodes;
using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.Aggregates;

/// <summary>The stats endpoints over HTTP, on the Beijing dataset, before and after a recompute.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class BeijingStatsTests
{
    private static async Task<(ApiServer Server, RunRecord Run)> StartComputedAsync()
    {
        var server = await ApiServer.StartAsync();
        var run = await server.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        return (server, run);
    }

    [Fact]
    public async Task BeforeTheFirstRunStatsAreAProblemThatSaysNoRecomputeHasRun()
    {
        await using var server = await ApiServer.StartAsync();

        foreach (var path in new[] { "api/v1/stats/cities/beijing", "api/v1/stats/zones/huairou-science-city", "api/v1/stats/industries",
                     "api/v1/stats/industries/blockchain", "api/v1/stats/organization-types", "api/v1/stats/runs/latest", "api/v1/stats/organizations/gsma" })
        {
            using var response = await server.Client.GetAsync(path);
            var problem = await HttpAssert.ProblemAsync(response, 404, "AggregatesNotComputed");
            Assert.Contains("no recompute has run yet", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        var runs = await server.GetJsonAsync("api/v1/stats/runs");
        Assert.Empty(runs["value"]!.AsArray());
    }

    [Fact]
    public async Task UnknownIdsAreTheUsualNotFoundProblemsAndMalformedOnesAre400()
    {
        var (server, _) = await StartComputedAsync();
        await using var _server = server;

        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/cities/atlantis"), 404, "CityNotFound");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/zones/nowhere"), 404, "ZoneNotFound");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/industries/alchemy"), 404, "IndustryNotFound");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/organizations/acme"), 404, "OrganizationNotFound");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/zones/Bad_Id"), 400, "InvalidId");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/cities/beijing?detail=all"), 400, "UnknownQueryParameter");
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/runs?maxpagesize=0"), 400, "InvalidQueryParameterValue");
    }

    [Fact]
    public async Task BeijingsCityStatsAreExact()
    {
        var (server, run) = await StartComputedAsync();
        await using var _server = server;

        using var response = await server.Client.GetAsync("api/v1/stats/cities/beijing");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{run.RunId}\"", response.Headers.ETag?.Tag);
        var city = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("beijing", city["cityId"]!.GetValue<string>());
        Assert.Equal(run.RunId, city["runId"]!.GetValue<string>());
        Assert.Equal(run.StartedAt, city["computedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("""{"count":4,"byKind":{"economic-development-zone":1,"science-city":3}}""", city["zones"]!.ToJsonString());
        Assert.Equal("""{"value":271.5,"unit":"km2","qualifier":"exact","zonesCovered":2,"zonesTotal":4,"text":"271.5 km\u00B2 over 2 of 4 zones"}""", city["area"]!.ToJsonString());
        // The World Internet Conference is headquartered in Beijing; no organization is located in its zones.
        Assert.Equal("""{"count":1,"byType":{"international-organization":1},"byIndustry":null,"byMembership":{"headquartered":1,"located-in-zone":0}}""", city["organizations"]!.ToJsonString());

        var facts = city["facts"]!.AsArray();
        Assert.Equal(["innovation-platforms-area-share", "innovation-platforms-gdp-share"], facts.Select(f => f!["indicator"]!.GetValue<string>()));
        Assert.Equal("""{"period":"2022","periodKind":"as-of","value":6,"denominator":null,"unit":"percent","qualifier":"less-than"}""", facts[0]!["latest"]!.ToJsonString());
        Assert.Equal("""{"period":"2022","periodKind":"as-of","value":1,"denominator":3,"unit":"fraction","qualifier":"about"}""", facts[1]!["latest"]!.ToJsonString());
        Assert.All(facts, f => Assert.Null(f!["previous"]));
        Assert.All(facts, f => Assert.Null(f!["computedChange"]));
    }

    [Fact]
    public async Task BeijingsZoneStatsCarryTheLatestFiguresWithTheirQualifiersAndNoGuessedRatios()
    {
        var (server, run) = await StartComputedAsync();
        await using var _server = server;

        var zhongguancun = await server.GetJsonAsync("api/v1/stats/zones/zhongguancun-science-city");
        Assert.Equal("science-city", zhongguancun["kind"]!.GetValue<string>());
        Assert.Null(zhongguancun["area"]);
        Assert.Equal("""{"count":0,"byType":{},"byIndustry":{},"byMembership":null}""", zhongguancun["organizations"]!.ToJsonString());
        var indicators = zhongguancun["indicators"]!.AsArray().ToDictionary(i => i!["indicator"]!.GetValue<string>());
        Assert.Equal(6, indicators.Count);
        Assert.Equal("""{"period":"2021","periodKind":"year","value":239.30,"denominator":null,"unit":"billion-cny","qualifier":"exact"}""", indicators["rd-expenditure"]!["latest"]!.ToJsonString());
        Assert.Equal("""{"value":20.4,"unit":"percent","qualifier":"exact","basis":"year-on-year","comparedTo":"2020"}""", indicators["rd-expenditure"]!["statedChange"]!.ToJsonString());
        Assert.Equal("more-than", indicators["high-tech-enterprises-gross-revenue"]!["latest"]!["qualifier"]!.GetValue<string>());
        Assert.Equal(3.5m, indicators["high-tech-enterprises-gross-revenue"]!["latest"]!["value"]!.GetValue<decimal>());
        Assert.Equal(1548m, indicators["specialized-sophisticated-smes"]!["latest"]!["value"]!.GetValue<decimal>());

        // Zhongguancun's area is not in the source, so there is no figure per km².
        Assert.Empty(zhongguancun["ratios"]!.AsArray());

        var huairou = await server.GetJsonAsync("api/v1/stats/zones/huairou-science-city");
        Assert.Equal(100.9m, huairou["area"]!["value"]!.GetValue<decimal>());
        Assert.Empty(huairou["indicators"]!.AsArray());
        Assert.Empty(huairou["ratios"]!.AsArray());
        Assert.Equal(run.RunId, huairou["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheWorldInternetConferenceHasSixInitiators()
    {
        var (server, _) = await StartComputedAsync();
        await using var _server = server;

        var wic = await server.GetJsonAsync("api/v1/stats/organizations/world-internet-conference");
        Assert.Equal("""{"count":6,"outgoing":{"initiated-by":6},"incoming":{}}""", wic["relations"]!.ToJsonString());
        var gsma = await server.GetJsonAsync("api/v1/stats/organizations/gsma");
        Assert.Equal("""{"count":1,"outgoing":{},"incoming":{"initiated-by":1}}""", gsma["relations"]!.ToJsonString());
    }

    [Fact]
    public async Task IndustriesAndOrganizationTypesCountTheirZonesAndOrganizations()
    {
        var (server, run) = await StartComputedAsync();
        await using var _server = server;

        using var response = await server.Client.GetAsync("api/v1/stats/industries");
        Assert.Equal($"\"{run.RunId}\"", response.Headers.ETag?.Tag);
        var industries = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.AsArray();
        Assert.Equal(["blockchain", "integrated-circuit", "network-security", "quantum-information", "semiconductor"],
            industries.Select(i => i!["industry"]!.GetValue<string>()));
        Assert.All(industries, i => Assert.Equal("""{"count":1,"byKind":{"science-city":1}}""", i!["zones"]!.ToJsonString()));
        Assert.All(industries, i => Assert.Equal(0, i!["organizations"]!["count"]!.GetValue<int>()));

        var one = await server.GetJsonAsync("api/v1/stats/industries/quantum-information");
        Assert.Equal("Quantum information", one["name"]!.GetValue<string>());

        var types = (await server.GetJsonAsync("api/v1/stats/organization-types"))["value"]!.AsArray()
            .ToDictionary(t => t!["type"]!.GetValue<string>(), t => t!["organizations"]!.GetValue<int>());
        Assert.Equal(7, types.Count);
        Assert.Equal(1, types["international-organization"]);
        Assert.Equal(1, types.Values.Sum());
    }

    [Fact]
    public async Task RunsAreRecordedNewestFirst()
    {
        var (server, first) = await StartComputedAsync();
        await using var _server = server;
        var second = await server.Services.GetRequiredService<AggregatesRecompute>().RunIncrementalAsync(CancellationToken.None);

        Assert.Equal(RunKind.Incremental, second.Kind);
        Assert.Equal(RunStatus.Succeeded, second.Status);
        // Newest first: this test's two runs lead, and any run recorded before them (a host's own, say) follows.
        var runs = await server.GetAllPagesAsync("api/v1/stats/runs?maxpagesize=1");
        var ids = runs.SelectMany(p => p).Select(r => r!["runId"]!.GetValue<string>()).ToList();
        Assert.Equal([second.RunId, first.RunId], ids.Take(2));
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);

        var latest = await server.GetJsonAsync("api/v1/stats/runs/latest");
        Assert.Equal(second.RunId, latest["runId"]!.GetValue<string>());
        Assert.Equal("full", runs[1][0]!["kind"]!.GetValue<string>());
        var full = runs[1][0]!;
        Assert.Equal("succeeded", full["status"]!.GetValue<string>());
        Assert.True(full["entitiesRead"]!.GetValue<long>() > 0);
        Assert.Equal(first.AggregatesWritten, full["aggregatesWritten"]!.GetValue<int>());

        // Beijing: 7 organizations, 4 zones, 1 city, 5 industries and 7 organization types.
        Assert.Equal(24, first.AggregatesWritten);
        Assert.Null(full["error"]);
        Assert.NotNull(full["endedAt"]);
    }

    [Fact]
    public async Task TheAdminApiRunsTheTimerAndStatsAppear()
    {
        await using var server = await ApiServer.StartAsync();
        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/stats/cities/beijing"), 404, "AggregatesNotComputed");

        using var accepted = await server.InvokeAdminAsync("RecomputeAggregates");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        while ((response = await server.Client.GetAsync("api/v1/stats/cities/beijing")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            response.Dispose();
            await Task.Delay(100);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var city = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(271.5m, city["area"]!["value"]!.GetValue<decimal>());
        }

        var latest = await server.GetJsonAsync("api/v1/stats/runs/latest");
        Assert.Equal("full", latest["kind"]!.GetValue<string>());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// A city's organizations: those headquartered there and those located in its zones, as GET
/// v1/cities/{cityId}/organizations lists them, as the <c>city</c> filter of GET v1/organizations selects
/// them, and as the city's stats count them; Beijing has the World Internet Conference, headquartered there.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class CityOrganizationsTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    private const string Wic = "world-internet-conference";

    private ApiServer Api => server.Api;

    private static Dictionary<string, string> Memberships(JsonNode page) =>
        page["value"]!.AsArray().ToDictionary(o => o!["id"]!.GetValue<string>(), o => o!["membership"]!.ToJsonString());

    [Fact]
    public async Task BeijingListsTheWorldInternetConferenceAsHeadquarteredThere()
    {
        using var response = await Api.Client.GetAsync("api/v1/cities/beijing/organizations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var item = Assert.Single(page["value"]!.AsArray())!.AsObject();
        Assert.Null(page["nextLink"]);

        Assert.Equal("""["headquartered"]""", item["membership"]!.ToJsonString());

        // Apart from its membership, the item is the organization as GET v1/organizations/{orgId} serves it.
        var organization = (await Api.GetJsonAsync($"api/v1/organizations/{Wic}")).AsObject();
        item.Remove("membership");
        Assert.Equal(organization.ToJsonString(), item.ToJsonString());
        Assert.Equal("beijing", organization["headquarters"]!["cityId"]!.GetValue<string>());

        // Cached like every list: its own ETag, and a 304 for it.
        var etag = response.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/v1/cities/beijing/organizations");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await Api.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
    }

    [Fact]
    public async Task TheCityListIsAlsoCsvWithAMembershipColumn()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/cities/beijing/organizations");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await Api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,name,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",membership", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(Wic + ",", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("\"[\"\"headquartered\"\"]\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesOfTheCityListFollowNextLink()
    {
        var page = await Api.GetJsonAsync("api/v1/cities/beijing/organizations?maxpagesize=1");
        Assert.Equal([Wic], page["value"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        Assert.Null(page["nextLink"]);
    }

    [Theory]
    [InlineData("city=beijing", Wic)]
    [InlineData("city=beijing&type=international-organization", Wic)]
    [InlineData("city=beijing&type=company", "")]
    [InlineData("city=beijing&namePrefix=world", Wic)]
    [InlineData("city=beijing&namePrefix=gsma", "")]
    [InlineData("city=beijing&industry=blockchain", "")]
    [InlineData("city=beijing&zone=zhongguancun-science-city", "")]
    public async Task TheCityFilterSelectsTheCitysOrganizationsAndCombinesWithTheOthers(string filter, string expected)
    {
        var organizations = (await Api.GetJsonAsync($"api/v1/organizations?{filter}"))["value"]!.AsArray();
        Assert.Equal(expected, string.Join(',', organizations.Select(o => o!["id"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("api/v1/cities/shanghai/organizations", 404, "CityNotFound")]
    [InlineData("api/v1/cities/Bei_jing/organizations", 400, "InvalidId")]
    [InlineData("api/v1/cities/beijing/organizations?type=company", 400, "UnknownQueryParameter")]
    [InlineData("api/v1/cities/beijing/organizations?maxpagesize=0", 400, "InvalidQueryParameterValue")]
    [InlineData("api/v1/cities/beijing/organizations?continuationToken=forged", 400, null)]
    [InlineData("api/v1/organizations?city=shanghai", 400, "InvalidQueryParameterValue")]
    [InlineData("api/v1/organizations?city=Bad%20City", 400, "InvalidQueryParameterValue")]
    public async Task UnknownCitiesAndBadInputAreProblems(string path, int status, string? code)
    {
        using var response = await Api.Client.GetAsync(path);
        var problem = await HttpAssert.ProblemAsync(response, status, code);
        if (path.Contains("city=shanghai", StringComparison.Ordinal))
        {
            Assert.Equal("There is no city 'shanghai'. GET v1/cities lists them.", problem["errors"]!["city"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task BeijingsStatsCountTheWorldInternetConferenceByTypeAndMembership()
    {
        await using var own = await ApiServer.StartAsync();
        var run = await own.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, run.Status);

        var city = await own.GetJsonAsync("api/v1/stats/cities/beijing", fresh: true); // the run was this process's, not the host's
        Assert.Equal(
            """{"count":1,"byType":{"international-organization":1},"byIndustry":null,"byMembership":{"headquartered":1,"located-in-zone":0}}""",
            city["organizations"]!.ToJsonString());
    }

    [Fact]
    public async Task MembershipFollowsRelationsZonesMovingCityAndHeadquartersAndTheStatsAgree()
    {
        await using var own = await ApiServer.StartAsync();
        await own.ImportAsync(new Dataset(Cities: [new City("shanghai", "Shanghai", "China", null, null)]));
        var recompute = own.Services.GetRequiredService<AggregatesRecompute>();
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);

        // Located in a Beijing zone: Tencent joins Beijing; the World Internet Conference is there both ways.
        foreach (var organization in new[] { "tencent", Wic })
        {
            using var located = await own.Client.SendAsync(Put($"api/v1/organizations/{organization}/relations/located-in/zone/huairou-science-city", WriteRequests.Relation));
            await JsonAsync(located, 201);
        }

        Assert.Equal(new Dictionary<string, string> { ["tencent"] = """["located-in-zone"]""", [Wic] = """["headquartered","located-in-zone"]""" },
            Memberships(await own.GetJsonAsync("api/v1/cities/beijing/organizations")));
        Assert.Equal(["tencent", Wic], await own.IdsAsync("api/v1/organizations?city=beijing"));
        Assert.Equal(["tencent"], await own.IdsAsync("api/v1/organizations?city=beijing&namePrefix=ten"));
        Assert.Equal(["tencent", Wic], await own.IdsAsync("api/v1/organizations?zone=huairou-science-city&city=beijing"));
        Assert.Empty(await own.IdsAsync("api/v1/organizations?zone=huairou-science-city&city=shanghai"));
        await AssertStatsAsync(own, recompute, "beijing", """{"count":2,"byType":{"international-organization":1,"unknown":1},"byIndustry":null,"byMembership":{"headquartered":1,"located-in-zone":2}}""");

        // The zone moves to Shanghai: its organizations move with it; the conference stays headquartered in Beijing.
        using (var moved = await own.Client.SendAsync(Patch("api/v1/zones/huairou-science-city", """{"cityId": "shanghai"}""")))
        {
            await JsonAsync(moved, 200);
        }

        Assert.Equal(new Dictionary<string, string> { [Wic] = """["headquartered"]""" }, Memberships(await own.GetJsonAsync("api/v1/cities/beijing/organizations")));
        Assert.Equal(new Dictionary<string, string> { ["tencent"] = """["located-in-zone"]""", [Wic] = """["located-in-zone"]""" },
            Memberships(await own.GetJsonAsync("api/v1/cities/shanghai/organizations")));
        Assert.Equal(["tencent", Wic], await own.IdsAsync("api/v1/organizations?zone=huairou-science-city&city=shanghai"));
        Assert.Equal([Wic], await own.IdsAsync("api/v1/organizations?type=international-organization&city=shanghai"));
        await AssertStatsAsync(own, recompute, "shanghai", """{"count":2,"byType":{"international-organization":1,"unknown":1},"byIndustry":null,"byMembership":{"headquartered":0,"located-in-zone":2}}""");

        // The conference's headquarters move to Shanghai too; then Tencent leaves the zone.
        using (var headquarters = await own.Client.SendAsync(Patch($"api/v1/organizations/{Wic}", """{"headquarters": {"cityId": "shanghai", "city": "Shanghai", "country": "China"}}""")))
        {
            await JsonAsync(headquarters, 200);
        }

        using (var left = await own.Client.SendAsync(Delete("api/v1/organizations/tencent/relations/located-in/zone/huairou-science-city")))
        {
            Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        }

        Assert.Empty(await own.IdsAsync("api/v1/cities/beijing/organizations"));
        Assert.Empty(await own.IdsAsync("api/v1/organizations?city=beijing"));
        Assert.Equal(new Dictionary<string, string> { [Wic] = """["headquartered","located-in-zone"]""" },
            Memberships(await own.GetJsonAsync("api/v1/cities/shanghai/organizations")));
        await AssertStatsAsync(own, recompute, "beijing", """{"count":0,"byType":{},"byIndustry":null,"byMembership":{"headquartered":0,"located-in-zone":0}}""");
        await AssertStatsAsync(own, recompute, "shanghai", """{"count":1,"byType":{"international-organization":1},"byIndustry":null,"byMembership":{"headquartered":1,"located-in-zone":1}}""");
    }

    /// <summary>
    /// An incremental run gives the city these counts, and a full run after it (which repairs nothing) the same.
    /// The runs are this process's, not the host's, so the stats are read past the host's read cache.
    /// </summary>
    private static async Task AssertStatsAsync(ApiServer api, AggregatesRecompute recompute, string cityId, string expected)
    {
        var incremental = await recompute.RunIncrementalAsync(CancellationToken.None);
        Assert.Equal((RunKind.Incremental, RunStatus.Succeeded), (incremental.Kind, incremental.Status));
        Assert.Equal(expected, (await api.GetJsonAsync($"api/v1/stats/cities/{cityId}", fresh: true))["organizations"]!.ToJsonString());

        var full = await recompute.RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, full.Status);
        Assert.Equal(IndexRepairs.None, full.IndexEntriesRepaired);
        Assert.Equal(expected, (await api.GetJsonAsync($"api/v1/stats/cities/{cityId}", fresh: true))["organizations"]!.ToJsonString());
    }
}

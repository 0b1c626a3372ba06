using System.Net;
using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>Every fact of the Beijing article, as the API serves it over HTTP through the dev host.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class BeijingApiTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    public const string Document = "beijing-innovation-platforms-2022";

    private ApiServer Api => server.Api;

    private async Task<JsonObject> MetricAsync(string scope, string indicator)
    {
        var page = await Api.GetJsonAsync($"api/v1/{scope}/metrics?indicator={indicator}");
        var observation = Assert.Single(page["value"]!.AsArray())!.AsObject();
        Assert.Equal(indicator, observation["indicator"]!.GetValue<string>());
        Assert.Equal(Document, observation["source"]!["document"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(observation["source"]!["quote"]!.GetValue<string>()));
        return observation;
    }

    private static void AssertFigure(JsonObject figure, string value, string unit, string qualifier)
    {
        Assert.Equal(value, figure["value"]!.ToJsonString());
        Assert.Equal(unit, figure["unit"]!.GetValue<string>());
        Assert.Equal(qualifier, figure["qualifier"]!.GetValue<string>());
    }

    private static void AssertPeriod(JsonObject observation, string value, string kind, bool noted)
    {
        var period = observation["period"]!.AsObject();
        Assert.Equal(value, period["value"]!.GetValue<string>());
        Assert.Equal(kind, period["kind"]!.GetValue<string>());
        Assert.Equal(noted, period["note"] is not null);
    }

    [Fact]
    public async Task BeijingZonesCoverLessThanSixPercentOfTheCityArea()
    {
        var observation = await MetricAsync("cities/beijing", "innovation-platforms-area-share");
        AssertFigure(observation, "6", "percent", "less-than");
        AssertPeriod(observation, "2022", "as-of", noted: true);
        Assert.Contains("less than 6 percent of Beijing's city area", observation["source"]!["quote"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeijingZonesGenerateAboutOneThirdOfTheCityGdp()
    {
        var observation = await MetricAsync("cities/beijing", "innovation-platforms-gdp-share");
        AssertFigure(observation, "1", "fraction", "about");
        Assert.Equal(3, observation["denominator"]!.GetValue<int>());
        AssertPeriod(observation, "2022", "as-of", noted: true);
    }

    [Fact]
    public async Task ZhongguancunRdExpenditureIsExactWithUsdEquivalentAndGrowth()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "rd-expenditure");
        AssertFigure(observation, "239.30", "billion-cny", "exact");
        AssertPeriod(observation, "2021", "year", noted: false);
        AssertFigure(Assert.Single(observation["equivalents"]!.AsArray())!.AsObject(), "34.49", "billion-usd", "exact");
        var change = observation["change"]!.AsObject();
        AssertFigure(change, "20.4", "percent", "exact");
        Assert.Equal("year-on-year", change["basis"]!.GetValue<string>());
        Assert.Equal("2020", change["comparedTo"]!.GetValue<string>());
    }

    [Fact]
    public async Task ZhongguancunHasFiftyUnicornsSecondOnlyToSiliconValley()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "unicorns");
        AssertFigure(observation, "50", "count", "exact");
        AssertPeriod(observation, "2022", "as-of", noted: true);
        var comparison = observation["comparison"]!.AsObject();
        AssertFigure(comparison, "2", "rank", "exact");
        Assert.Equal("second only to Silicon Valley in the United States", comparison["text"]!.GetValue<string>());
        Assert.Null(observation["change"]);
    }

    [Fact]
    public async Task ZhongguancunHighTechRevenueIsOverThreePointFiveTrillionIn2021()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "high-tech-enterprises-gross-revenue");
        AssertFigure(observation, "3.5", "trillion-cny", "more-than");
        AssertPeriod(observation, "2021", "year", noted: true);
        AssertFigure(observation["change"]!.AsObject(), "19.3", "percent", "exact");
        Assert.Equal("2020", observation["change"]!["comparedTo"]!.GetValue<string>());
    }

    [Fact]
    public async Task ZhongguancunSubsidizedMoreThan140SmesInRentingOffices()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "smes-subsidized-office-rent");
        AssertFigure(observation, "140", "count", "more-than");
        AssertPeriod(observation, "2022", "as-of", noted: true);
    }

    [Fact]
    public async Task ZhongguancunHas1548SpecializedSmesOrThirtySevenPointFourPercentOfBeijings()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "specialized-sophisticated-smes");
        AssertFigure(observation, "1548", "count", "exact");
        AssertPeriod(observation, "2022", "as-of", noted: true);
        Assert.Contains("currently", observation["period"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        var comparison = observation["comparison"]!.AsObject();
        AssertFigure(comparison, "37.4", "percent", "exact");
        Assert.Equal("Beijing's total", comparison["against"]!.GetValue<string>());
    }

    [Fact]
    public async Task ZhongguancunHas617Point2InventionPatentsPer10000PeopleThreeTimesBeijingAverage()
    {
        var observation = await MetricAsync("zones/zhongguancun-science-city", "invention-patents-per-10k-people");
        AssertFigure(observation, "617.2", "patents-per-10k-people", "exact");
        AssertFigure(observation["comparison"]!.AsObject(), "3", "times", "exact");
    }

    [Fact]
    public async Task ZhongguancunServesItsFocusIndustriesAndPoliciesAndNothingTheArticleDoesNotSay()
    {
        var zone = await Api.GetJsonAsync("api/v1/zones/zhongguancun-science-city");
        Assert.Equal("Zhongguancun Science City", zone["name"]!.GetValue<string>());
        Assert.Equal("beijing", zone["cityId"]!.GetValue<string>());
        Assert.Equal("science-city", zone["kind"]!.GetValue<string>());
        Assert.Equal(
            ["blockchain", "semiconductor", "quantum-information", "integrated-circuit", "network-security"],
            zone["focusIndustries"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(
            ["office-rent-subsidies", "high-end-talent", "intellectual-property-protection"],
            zone["policies"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Contains("postdocs in artificial intelligence, chip and quantum research", zone["policies"]![1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(zone.AsObject().ContainsKey("district"));
        Assert.Null(zone["district"]);
        Assert.Null(zone["area"]);
        Assert.Equal(Document, zone["sources"]!["focusIndustries"]!["document"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("huairou-science-city", "Huairou", "100.9")]
    [InlineData("future-science-city", "Changping", "170.6")]
    public async Task ScienceCitiesServeDistrictAreaAndGoal(string zoneId, string district, string area)
    {
        var zone = await Api.GetJsonAsync($"api/v1/zones/{zoneId}");
        Assert.Equal(district, zone["district"]!.GetValue<string>());
        AssertFigure(zone["area"]!.AsObject(), area, "km2", "exact");
        Assert.Contains("square kilometers", zone["area"]!["source"]!["quote"]!.GetValue<string>(), StringComparison.Ordinal);
        var goal = Assert.Single(zone["goals"]!.AsArray())!;
        Assert.Contains("world-class scientific platform and demonstration zone along with Zhongguancun", goal["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task YizhuangIsAnEconomicDevelopmentZoneAndNothingElseIsGuessed()
    {
        var zone = await Api.GetJsonAsync("api/v1/zones/yizhuang-economic-development-zone");
        Assert.Equal("economic-development-zone", zone["kind"]!.GetValue<string>());
        foreach (var unknown in new[] { "district", "area", "focusIndustries", "policies", "goals" })
        {
            Assert.True(zone.AsObject().ContainsKey(unknown), unknown);
            Assert.Null(zone[unknown]);
        }
    }

    [Fact]
    public async Task WorldInternetConferenceWasEstablishedOn12July2022InBeijing()
    {
        var wic = await Api.GetJsonAsync("api/v1/organizations/world-internet-conference");
        Assert.Equal("World Internet Conference", wic["name"]!.GetValue<string>());
        Assert.Equal("WIC", wic["shortName"]!.GetValue<string>());
        Assert.Equal("international-organization", wic["type"]!.GetValue<string>());
        Assert.Equal("2022-07-12", wic["established"]!.GetValue<string>());
        Assert.Equal("beijing", wic["headquarters"]!["cityId"]!.GetValue<string>());
        Assert.Equal("China", wic["headquarters"]!["country"]!.GetValue<string>());
        Assert.Contains("July 12, 2022", wic["sources"]!["established"]!["quote"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorldInternetConferenceHasSixInitiatorsEachWithItsSource()
    {
        var relations = (await Api.GetAllPagesAsync("api/v1/organizations/world-internet-conference/relations")).SelectMany(p => p).ToList();
        Assert.Equal(6, relations.Count);
        Assert.All(relations, r =>
        {
            Assert.Equal("outgoing", r!["direction"]!.GetValue<string>());
            Assert.Equal("initiated-by", r["type"]!.GetValue<string>());
            Assert.Equal("world-internet-conference", r["from"]!["id"]!.GetValue<string>());
            Assert.Equal(Document, r["source"]!["document"]!.GetValue<string>());
        });
        Assert.Equal(
            ["alibaba-group", "cncert", "cnnic", "gsma", "tencent", "zhijiang-lab"],
            relations.Select(r => r!["to"]!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("gsma", "Global System for Mobile Communication Association", "GSMA")]
    [InlineData("cncert", "National Computer Network Emergency Response Technical Team/Coordination Center of China", "CNCERT")]
    [InlineData("cnnic", "China Internet Network Information Center", "CNNIC")]
    [InlineData("alibaba-group", "Alibaba Group", null)]
    [InlineData("tencent", "Tencent", null)]
    [InlineData("zhijiang-lab", "Zhijiang Lab", null)]
    public async Task EachInitiatorSeesTheRelationFromItsEndAndNoGuessedFacts(string id, string name, string? shortName)
    {
        var organization = await Api.GetJsonAsync($"api/v1/organizations/{id}");
        Assert.Equal(name, organization["name"]!.GetValue<string>());
        Assert.Equal(shortName, organization["shortName"]?.GetValue<string>());
        Assert.Null(organization["type"]);
        Assert.Null(organization["established"]);

        var relation = Assert.Single((await Api.GetJsonAsync($"api/v1/organizations/{id}/relations"))["value"]!.AsArray())!;
        Assert.Equal("incoming", relation["direction"]!.GetValue<string>());
        Assert.Equal("world-internet-conference", relation["from"]!["id"]!.GetValue<string>());
        Assert.Equal(id, relation["to"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ZonesListServesTheFourBeijingZonesInIdOrder()
    {
        var zones = (await Api.GetJsonAsync("api/v1/zones"))["value"]!.AsArray();
        Assert.Equal(
            ["future-science-city", "huairou-science-city", "yizhuang-economic-development-zone", "zhongguancun-science-city"],
            zones.Select(z => z!["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("city=beijing", "future-science-city,huairou-science-city,yizhuang-economic-development-zone,zhongguancun-science-city")]
    [InlineData("kind=science-city", "future-science-city,huairou-science-city,zhongguancun-science-city")]
    [InlineData("kind=economic-development-zone", "yizhuang-economic-development-zone")]
    [InlineData("industry=quantum-information", "zhongguancun-science-city")]
    [InlineData("city=beijing&kind=economic-development-zone", "yizhuang-economic-development-zone")]
    [InlineData("industry=blockchain&kind=economic-development-zone", "")]
    [InlineData("industry=blockchain&city=beijing&kind=science-city", "zhongguancun-science-city")]
    public async Task ZoneFiltersReturnExactlyTheMatchingZones(string filter, string expected)
    {
        var zones = (await Api.GetJsonAsync($"api/v1/zones?{filter}"))["value"]!.AsArray();
        Assert.Equal(expected, string.Join(',', zones.Select(z => z!["id"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("type=international-organization", "world-internet-conference")]
    [InlineData("namePrefix=world", "world-internet-conference")]
    [InlineData("namePrefix=CHINA%20internet", "cnnic")]
    [InlineData("namePrefix=National%20Computer%20Network%20Emergency%20Response%20Technical%20Team%2FCo", "cncert")]
    [InlineData("namePrefix=t", "tencent")]
    [InlineData("namePrefix=zz", "")]
    [InlineData("type=company", "")]
    [InlineData("type=international-organization&namePrefix=w", "world-internet-conference")]
    [InlineData("type=international-organization&namePrefix=g", "")]
    public async Task OrganizationFiltersReturnExactlyTheMatchingOrganizations(string filter, string expected)
    {
        var organizations = (await Api.GetJsonAsync($"api/v1/organizations?{filter}"))["value"]!.AsArray();
        Assert.Equal(expected, string.Join(',', organizations.Select(o => o!["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task OrganizationsListServesAllSevenInIdOrder()
    {
        var organizations = (await Api.GetJsonAsync("api/v1/organizations"))["value"]!.AsArray();
        Assert.Equal(
            ["alibaba-group", "cncert", "cnnic", "gsma", "tencent", "world-internet-conference", "zhijiang-lab"],
            organizations.Select(o => o!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task NoOrganizationIsLocatedInAZoneBecauseTheArticleSaysNone()
    {
        var page = await Api.GetJsonAsync("api/v1/zones/zhongguancun-science-city/organizations");
        Assert.Empty(page["value"]!.AsArray());
        Assert.Null(page["nextLink"]);
    }

    [Theory]
    [InlineData("zones/zhongguancun-science-city/metrics", "", 6)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?from=2022", 4)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?to=2021", 2)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?from=2021&to=2021", 2)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?indicator=rd-expenditure&from=2022", 0)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?indicator=rd-expenditure&from=2020&to=2021", 1)]
    [InlineData("zones/zhongguancun-science-city/metrics", "?indicator=rd-expenditure&to=2021-12", 1)]
    [InlineData("zones/huairou-science-city/metrics", "", 0)]
    [InlineData("cities/beijing/metrics", "", 2)]
    [InlineData("cities/beijing/metrics", "?indicator=innovation-platforms-gdp-share", 1)]
    public async Task MetricFiltersSelectByIndicatorAndPeriod(string path, string query, int count)
    {
        var page = await Api.GetJsonAsync($"api/v1/{path}{query}");
        Assert.Equal(count, page["value"]!.AsArray().Count);
    }

    [Fact]
    public async Task CitiesAndIndustriesAreListed()
    {
        var city = Assert.Single((await Api.GetJsonAsync("api/v1/cities"))["value"]!.AsArray())!;
        Assert.Equal("beijing", city["id"]!.GetValue<string>());
        Assert.Equal("China", (await Api.GetJsonAsync("api/v1/cities/beijing"))["country"]!.GetValue<string>());
        var industries = (await Api.GetJsonAsync("api/v1/industries"))["value"]!.AsArray();
        Assert.Equal(5, industries.Count);
    }

    [Fact]
    public async Task GetByIdAnswersWithTheEntityETag()
    {
        using var response = await Api.Client.GetAsync("api/v1/zones/huairou-science-city");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("api/v1/zones/nowhere-science-city", "ZoneNotFound")]
    [InlineData("api/v1/zones/nowhere-science-city/metrics", "ZoneNotFound")]
    [InlineData("api/v1/zones/nowhere-science-city/organizations", "ZoneNotFound")]
    [InlineData("api/v1/organizations/nobody", "OrganizationNotFound")]
    [InlineData("api/v1/organizations/nobody/relations", "OrganizationNotFound")]
    [InlineData("api/v1/cities/shanghai", "CityNotFound")]
    [InlineData("api/v1/cities/shanghai/metrics", "CityNotFound")]
    [InlineData("api/v2/zones", "RouteNotFound")]
    public async Task UnknownIdsAreNotFoundProblems(string path, string code)
    {
        using var response = await Api.Client.GetAsync(path);
        await HttpAssert.ProblemAsync(response, 404, code);
    }

    [Fact]
    public async Task HealthIsHealthyWhenStorageAnswers()
    {
        using var response = await Api.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["storage"]!.GetValue<string>());
    }
}

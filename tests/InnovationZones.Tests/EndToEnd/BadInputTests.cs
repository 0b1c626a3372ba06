using System.Net.Http.Json;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// What each bad input gets: a 4xx application/problem+json with a stable code, never a 500 and never
/// a silently ignored parameter.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class BadInputTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    public static TheoryData<string, int, string> Cases => new()
    {
        // Unknown parameters: 400, whatever the endpoint.
        { "api/v1/zones?cty=beijing", 400, "UnknownQueryParameter" },
        { "api/v1/zones?$filter=true", 400, "UnknownQueryParameter" },
        { "api/v1/zones/zhongguancun-science-city?expand=all", 400, "UnknownQueryParameter" },
        { "api/v1/organizations?top=5", 400, "UnknownQueryParameter" },
        { "api/health?verbose=1", 400, "UnknownQueryParameter" },

        // Page sizes: 1 to 1000.
        { "api/v1/zones?maxpagesize=0", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=1001", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=abc", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=-1", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=1e3", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=99999999999999999999", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?maxpagesize=10&maxpagesize=20", 400, "InvalidQueryParameterValue" },

        // Filter values: unknown enum values and unknown referenced ids are 400, not an empty list.
        { "api/v1/zones?kind=science-town", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?city=atlantis", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?industry=alchemy", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?city=", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?city=Beijing", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones?city=%27%20or%20true%20or%20%27", 400, "InvalidQueryParameterValue" },
        { "api/v1/organizations?type=startup", 400, "InvalidQueryParameterValue" },
        { "api/v1/organizations?zone=nowhere", 400, "InvalidQueryParameterValue" },
        { "api/v1/organizations?namePrefix=%01", 400, "InvalidQueryParameterValue" },
        { "api/v1/organizations?namePrefix=" + "x" + "%20", 200, "" },
        { "api/v1/organizations/world-internet-conference/relations?direction=sideways", 400, "InvalidQueryParameterValue" },
        { "api/v1/organizations/world-internet-conference/relations?type=owned-by", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones/zhongguancun-science-city/metrics?from=2021-13", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones/zhongguancun-science-city/metrics?from=21", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones/zhongguancun-science-city/metrics?to=2021-02-30", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones/zhongguancun-science-city/metrics?from=2022&to=2021", 400, "InvalidQueryParameterValue" },
        { "api/v1/zones/zhongguancun-science-city/metrics?indicator=R%26D", 400, "InvalidQueryParameterValue" },

        // Continuation tokens: forged, truncated or from another query.
        { "api/v1/zones?continuationToken=forged", 400, "InvalidContinuationToken" },
        { "api/v1/zones?continuationToken=" + new string('A', 5000), 400, "InvalidContinuationToken" },
        { "api/v1/zones?continuationToken=%00%01", 400, "InvalidContinuationToken" },

        // Ids: slugs only. Reserved key characters, quotes, control characters and long ids are 400.
        { "api/v1/zones/a%2Fb", 400, "InvalidId" },
        { "api/v1/zones/a%5Cb", 400, "InvalidId" },
        { "api/v1/zones/a%23b", 400, "InvalidId" },
        { "api/v1/zones/a%3Fb", 400, "InvalidId" },
        { "api/v1/zones/%27%20or%20true%20or%20%27", 400, "InvalidId" },
        { "api/v1/zones/a%01b", 400, "InvalidId" },
        { "api/v1/zones/" + "a" + "%7F", 400, "InvalidId" },
        { "api/v1/zones/ZHONGGUANCUN-SCIENCE-CITY", 400, "InvalidId" },
        { "api/v1/zones/" + "x" + "-", 400, "InvalidId" },
        { "api/v1/organizations/%C3%A9lan", 400, "InvalidId" },
        { "api/v1/organizations/a%2Fb/relations", 400, "InvalidId" },
        { "api/v1/cities/a%23b/metrics", 400, "InvalidId" },
        { "api/v1/zones/a%3Fb/organizations", 400, "InvalidId" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputGetsAProblemResponse(string path, int status, string code)
    {
        using var response = await server.Api.Client.GetAsync(path);
        if (status == 200)
        {
            Assert.True(response.IsSuccessStatusCode, path);
            return;
        }

        await HttpAssert.ProblemAsync(response, status, code);
    }

    [Theory]
    [InlineData("api/v1/zones/")]
    [InlineData("api/v1/organizations/")]
    public async Task AnIdOf2000CharactersIsAnInvalidId(string prefix)
    {
        using var response = await server.Api.Client.GetAsync(prefix + new string('a', 2000));
        await HttpAssert.ProblemAsync(response, 400, "InvalidId");
    }

    [Fact]
    public async Task ANulCharacterInThePathIsRefusedByTheServerBeforeTheApp()
    {
        // Kestrel (under the Functions host too) answers 400 itself, before any function runs.
        using var response = await server.Api.Client.GetAsync("api/v1/zones/a%00b");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnUnescapedSlashInAnIdReachesNoRoute()
    {
        using var response = await server.Api.Client.GetAsync("api/v1/zones/a/b");
        await HttpAssert.ProblemAsync(response, 404, "RouteNotFound");
    }

    [Fact]
    public async Task ValidationProblemsNameEachBadParameter()
    {
        using var response = await server.Api.Client.GetAsync("api/v1/organizations?type=startup&maxpagesize=0&zone=Bad%20Zone");
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidQueryParameterValue");
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["maxpagesize", "type", "zone"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AWriteMethodOnAReadRouteIsNotAllowedAndChangesNothing()
    {
        using var response = await server.Api.Client.PostAsJsonAsync("api/v1/zones", new { id = "new-zone" });
        await HttpAssert.ProblemAsync(response, 405, "MethodNotAllowed");
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        using var check = await server.Api.Client.GetAsync("api/v1/zones/new-zone");
        await HttpAssert.ProblemAsync(check, 404, "ZoneNotFound");
    }
}

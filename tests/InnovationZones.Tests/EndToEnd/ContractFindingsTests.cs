using System.Net;
using System.Text;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// Where the API and its document disagreed (the contract fuzzer's first findings), pinned under both hosts:
/// malformed entity-tag headers, methods a known path does not take, and a NUL in the request.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ContractFindingsTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    private ApiServer Api => server.Api;

    public static TheoryData<string, string> MalformedIfNoneMatch() => new()
    {
        { "api/v1/cities/beijing", "M%m|*" },
        { "api/v1/cities/beijing", "'*" },
        { "api/v1/cities/beijing", "B1AHT*" },
        { "api/v1/zones", "B1AHT*" },
        { "api/v1/zones", "*, \"x\"" },
        { "api/v1/zones/huairou-science-city", "\"a\" \"b\"" },
        { "api/v1/zones/huairou-science-city", "W/x" },
        { "api/v1/zones/huairou-science-city/metrics", "\"unterminated" },
        { "api/v1/stats/runs", "**" },
        { "api/health", "x" },
        { "api/openapi.json", "x" },
    };

    [Theory]
    [MemberData(nameof(MalformedIfNoneMatch))]
    public async Task AMalformedIfNoneMatchIsA400NeverA304(string path, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var response = await Api.Client.SendAsync(request);
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidPrecondition");
        Assert.NotNull(problem["errors"]!["If-None-Match"]);
    }

    [Fact]
    public async Task AListOfEntityTagsIsReadAsOne()
    {
        using var first = await Api.Client.GetAsync("api/v1/zones/huairou-science-city");
        var etag = first.Headers.ETag!.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/zones/huairou-science-city");
        request.Headers.TryAddWithoutValidation("If-None-Match", $" , \"other\",{etag} ,");
        using var response = await Api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("\"a b\"")]
    [InlineData("W/ \"x\"")]
    public async Task AnIfMatchThatIsNoEntityTagIsA400(string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "api/v1/zones/huairou-science-city")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await Api.Client.SendAsync(request);
        await HttpAssert.ProblemAsync(response, 400, "InvalidPrecondition");
    }

    [Theory]
    [InlineData("PUT", "api/v1/cities/beijing", "GET")]
    [InlineData("DELETE", "api/v1/zones", "GET")]
    [InlineData("POST", "api/v1/zones/huairou-science-city", "DELETE, GET, PATCH, PUT")]
    [InlineData("GET", "api/v1/import", "POST")]
    [InlineData("PATCH", "api/docs/favicon.svg", "GET")]
    [InlineData("POST", "api/v1/zones/huairou-science-city/metrics/rd-expenditure/2021", "DELETE, GET, PATCH, PUT")]
    [InlineData("PUT", "api/health", "GET")]
    public async Task AMethodAKnownPathDoesNotTakeIsA405WithAllow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await Api.Client.SendAsync(request);
        await HttpAssert.ProblemAsync(response, 405, "MethodNotAllowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task AnUnknownPathIsStillA404()
    {
        using var response = await Api.Client.PutAsync("api/v1/nothing-here", new StringContent("{}", Encoding.UTF8, "application/json"));
        await HttpAssert.ProblemAsync(response, 404, "RouteNotFound");
    }

    [Theory]
    [InlineData("TRACE", "api/v1/zones")]
    [InlineData("HEAD", "api/v1/zones")]
    [InlineData("OPTIONS", "api/v1/cities/beijing")]
    public async Task AMethodNoFunctionDeclaresIsTheHostsBare404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await Api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("api/v1/zones%00")]
    [InlineData("api/v1/zones/huairou%00-science-city")]
    [InlineData("api/v1/organizations%00?namePrefix=a")]
    public async Task ANulInThePathIsRefusedByTheWebServerBeforeTheApp(string path)
    {
        // Kestrel refuses a decoded NUL in the path as a malformed request, before any host or app code:
        // a bare 400 under both hosts (documented in conventions.md and the OpenAPI description).
        using var response = await Api.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("api/v1/organizations?namePrefix=a%00b", "namePrefix")]
    [InlineData("api/v1/zones?kind=%00", "kind")]
    [InlineData("api/v1/zones?continuationToken=%00", "continuationToken")]
    public async Task ANulInTheQueryIsTheAppsProblem(string path, string parameter)
    {
        using var response = await Api.Client.GetAsync(path);
        var problem = await HttpAssert.ProblemAsync(response, 400);
        Assert.NotNull(problem["errors"]![parameter]);
    }
}

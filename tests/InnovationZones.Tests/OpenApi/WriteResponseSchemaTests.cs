using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// Real responses of the writes and the import (successes and their problems), validated against the
/// document's operation for their route and method. Each test writes its own entities or leaves the data as it was.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class WriteResponseSchemaTests : IAsyncLifetime
{
    private const string Zone = "/v1/zones/{zoneId}";
    private const string Organization = "/v1/organizations/{orgId}";
    private const string ZoneMetric = "/v1/zones/{zoneId}/metrics/{indicator}/{period}";
    private const string CityMetric = "/v1/cities/{cityId}/metrics/{indicator}/{period}";
    private const string Relation = "/v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}";
    private const string Import = "/v1/import";

    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(string route, HttpRequestMessage request, int status)
    {
        using (request)
        {
            return await DocumentAssert.MatchesDocumentAsync(server.Client, route, request, status);
        }
    }

    [Fact]
    public async Task PutCreatesWith201ThenReplacesWith200AndAnETag()
    {
        using var created = await SendAsync(Zone, WriteRequests.Put("api/v1/zones/schema-test-zone", WriteRequests.Zone(), ifNoneMatchAny: true), 201);
        Assert.NotNull(created.Headers.Location);
        using var replaced = await SendAsync(Zone, WriteRequests.Put("api/v1/zones/schema-test-zone", WriteRequests.Zone("Renamed Zone"), WriteRequests.ETagOf(created)), 200);
        Assert.NotEqual(WriteRequests.ETagOf(created), WriteRequests.ETagOf(replaced));
        using var _0 = await SendAsync(Zone, WriteRequests.Put("api/v1/zones/schema-test-zone", WriteRequests.Zone(), ifNoneMatchAny: true), 412);

        using var _1 = await SendAsync(Organization, WriteRequests.Put("api/v1/organizations/schema-test-org", WriteRequests.Organization()), 201);
        using var _2 = await SendAsync(ZoneMetric, WriteRequests.Put("api/v1/zones/schema-test-zone/metrics/test-indicator/2023", WriteRequests.Metric()), 201);
        using var _3 = await SendAsync(CityMetric, WriteRequests.Put("api/v1/cities/beijing/metrics/test-indicator/2023-06", WriteRequests.Metric()), 201);
        using var _4 = await SendAsync(Relation, WriteRequests.Put("api/v1/organizations/schema-test-org/relations/located-in/zone/schema-test-zone", WriteRequests.Relation), 201);
    }

    [Fact]
    public async Task PatchAnswersTheChangedEntityAndDeleteNoContent()
    {
        using var created = await SendAsync(Organization, WriteRequests.Put("api/v1/organizations/schema-patched-org", WriteRequests.Organization()), 201);
        using var patched = await SendAsync(Organization, WriteRequests.Patch("api/v1/organizations/schema-patched-org", """{"name": "Patched"}""", WriteRequests.ETagOf(created)), 200);
        using var _1 = await SendAsync(ZoneMetric, WriteRequests.Patch("api/v1/zones/zhongguancun-science-city/metrics/rd-expenditure/2021", """{"qualifier": "about"}"""), 200);
        using var _2 = await SendAsync(Relation, WriteRequests.Patch("api/v1/organizations/world-internet-conference/relations/initiated-by/organization/gsma", $$"""{"source": {{WriteRequests.Source("paragraph 9")}}}"""), 200);
        using var deleted = await SendAsync(Organization, WriteRequests.Delete("api/v1/organizations/schema-patched-org", WriteRequests.ETagOf(patched)), 204);
        using var _3 = await SendAsync(CityMetric, WriteRequests.Delete("api/v1/cities/beijing/metrics/innovation-platforms-gdp-share/2022"), 204);
    }

    public static TheoryData<string, string, string, string?, string?, string?, int> Problems => new()
    {
        // route, method, path, body, content type, If-Match, status
        { Zone, "PUT", "api/v1/zones/schema-bad-zone", """{"name": "X", "cityId": "atlantis"}""", "application/json", null, 400 },
        { Zone, "PUT", "api/v1/zones/schema-bad-zone", """{"name": "X",}""", "application/json", null, 400 },
        { Zone, "PUT", "api/v1/zones/Not_A_Slug", WriteRequests.Zone(), "application/json", null, 400 },
        { Zone, "PUT", "api/v1/zones/schema-bad-zone", WriteRequests.Zone(), "application/json", "not-an-etag", 400 },
        { Zone, "PUT", "api/v1/zones/zhongguancun-science-city", WriteRequests.Zone(), "application/json", "W/\"datetime'2001-01-01T00%3A00%3A00Z'\"", 412 },
        { Zone, "PATCH", "api/v1/zones/atlantis", """{"name": "X"}""", "application/merge-patch+json", null, 404 },
        { Zone, "PATCH", "api/v1/zones/zhongguancun-science-city", """{"name": "X"}""", "application/json", null, 415 },
        { Zone, "PUT", "api/v1/zones/schema-bad-zone", "{\"name\": \"" + new string('x', 300 * 1024) + "\"}", "application/json", null, 413 },
        { Zone, "DELETE", "api/v1/zones/zhongguancun-science-city", null, null, null, 409 },
        { Organization, "DELETE", "api/v1/organizations/world-internet-conference", null, null, null, 409 },
        { ZoneMetric, "PUT", "api/v1/zones/atlantis/metrics/test-indicator/2023", WriteRequests.Metric(), "application/json", null, 404 },
        { ZoneMetric, "DELETE", "api/v1/zones/zhongguancun-science-city/metrics/rd-expenditure/1999", null, null, null, 404 },
        { CityMetric, "PUT", "api/v1/cities/beijing/metrics/test-indicator/2023-13", WriteRequests.Metric(), "application/json", null, 400 },
        { Relation, "PUT", "api/v1/organizations/world-internet-conference/relations/initiated-by/organization/atlantis", WriteRequests.Relation, "application/json", null, 400 },
        { Relation, "DELETE", "api/v1/organizations/atlantis-institute/relations/initiated-by/organization/gsma", null, null, null, 404 },
        { Import, "POST", "api/v1/import", """{"zones": [{"id": "x"}]}""", "application/json", null, 400 },
        { Import, "POST", "api/v1/import?atomic=maybe", "{}", "application/json", null, 400 },
        { Import, "POST", "api/v1/import", "<dataset/>", "application/xml", null, 415 },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task ProblemValidatesAgainstTheDocument(string route, string method, string path, string? body, string? contentType, string? ifMatch, int status)
    {
        using var response = await SendAsync(route, WriteRequests.Create(new HttpMethod(method), path, body, contentType, ifMatch), status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ImportReportsValidateAgainstTheDocument()
    {
        const string Header = "scopeKind,scopeId,indicator,name,period,periodKind,value,unit,qualifier,changeValue,changeUnit,changeQualifier,changeBasis,sourceDocument,sourceLocator";
        var good = $"zone,zhongguancun-science-city,schema-patents,Invention patents,2023,year,1200,count,more-than,4.5,percent,exact,year-on-year,{WriteRequests.Document},table 2";
        var bad = $"zone,atlantis,schema-patents,Invention patents,2023,year,1200,count,more-than,,,,,{WriteRequests.Document},table 2";

        using var all = await SendAsync(Import, WriteRequests.Create(HttpMethod.Post, "api/v1/import", $"{Header}\n{good}\n", "text/csv"), 200);
        using var partial = await SendAsync(Import, WriteRequests.Create(HttpMethod.Post, "api/v1/import?atomic=false", $"{Header}\n{good}\n{bad}\n", "text/csv"), 200);
        Assert.Contains("\"rejected\"", await partial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var refused = await SendAsync(Import, WriteRequests.Create(HttpMethod.Post, "api/v1/import", $"{Header}\n{bad}\n", "text/csv"), 400);
        using var dataset = await SendAsync(Import, WriteRequests.Create(HttpMethod.Post, "api/v1/import", await File.ReadAllTextAsync(ApiServer.BeijingDataset), "application/json"), 200);
    }
}


using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;
using Json.Schema;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// Real responses of the Beijing endpoints, validated (JSON Schema 2020-12, JsonSchema.Net) against the
/// schema that the served OpenAPI 3.1 document gives for their route, status and media type.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ResponseSchemaTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    public static TheoryData<string, string, int> Requests => new()
    {
        // Lists, filtered lists and pages
        { "/v1/zones", "api/v1/zones", 200 },
        { "/v1/zones", "api/v1/zones?kind=science-city&city=beijing", 200 },
        { "/v1/zones", "api/v1/zones?industry=quantum-information", 200 },
        { "/v1/organizations", "api/v1/organizations?maxpagesize=2", 200 },
        { "/v1/organizations", "api/v1/organizations?namePrefix=china", 200 },
        { "/v1/organizations", "api/v1/organizations?type=international-organization", 200 },
        { "/v1/zones/{zoneId}/organizations", "api/v1/zones/zhongguancun-science-city/organizations", 200 },
        { "/v1/organizations/{orgId}/relations", "api/v1/organizations/world-internet-conference/relations", 200 },
        { "/v1/organizations/{orgId}/relations", "api/v1/organizations/gsma/relations?direction=incoming", 200 },
        { "/v1/cities", "api/v1/cities", 200 },
        { "/v1/industries", "api/v1/industries", 200 },
        // Gets
        { "/v1/zones/{zoneId}", "api/v1/zones/zhongguancun-science-city", 200 },
        { "/v1/zones/{zoneId}", "api/v1/zones/huairou-science-city", 200 },
        { "/v1/zones/{zoneId}", "api/v1/zones/yizhuang-economic-development-zone", 200 },
        { "/v1/organizations/{orgId}", "api/v1/organizations/world-internet-conference", 200 },
        { "/v1/organizations/{orgId}", "api/v1/organizations/zhijiang-lab", 200 },
        { "/v1/cities/{cityId}", "api/v1/cities/beijing", 200 },
        // Metrics
        { "/v1/zones/{zoneId}/metrics", "api/v1/zones/zhongguancun-science-city/metrics", 200 },
        { "/v1/zones/{zoneId}/metrics", "api/v1/zones/zhongguancun-science-city/metrics?indicator=rd-expenditure&from=2021", 200 },
        { "/v1/zones/{zoneId}/metrics", "api/v1/zones/yizhuang-economic-development-zone/metrics", 200 },
        { "/v1/cities/{cityId}/metrics", "api/v1/cities/beijing/metrics", 200 },
        { "/health", "api/health", 200 },
        // Problems
        { "/v1/zones", "api/v1/zones?maxpagesize=0", 400 },
        { "/v1/zones", "api/v1/zones?colour=red", 400 },
        { "/v1/zones", "api/v1/zones?city=atlantis", 400 },
        { "/v1/organizations", "api/v1/organizations?continuationToken=forged", 400 },
        { "/v1/zones/{zoneId}", "api/v1/zones/Not_A_Slug", 400 },
        { "/v1/zones/{zoneId}", "api/v1/zones/atlantis", 404 },
        { "/v1/organizations/{orgId}", "api/v1/organizations/atlantis-institute", 404 },
        { "/v1/cities/{cityId}/metrics", "api/v1/cities/atlantis/metrics", 404 },
        { "/v1/zones/{zoneId}/metrics", "api/v1/zones/zhongguancun-science-city/metrics?from=2023&to=2021", 400 },
        { "/docs/{asset}", "api/docs/missing.js", 404 },
        // Before the first recompute
        { "/v1/stats/zones/{zoneId}", "api/v1/stats/zones/zhongguancun-science-city", 404 },
        { "/v1/stats/industries", "api/v1/stats/industries", 404 },
        { "/v1/stats/runs/latest", "api/v1/stats/runs/latest", 404 },
        { "/v1/stats/runs", "api/v1/stats/runs", 200 },
        // One observation, one relation
        { "/v1/zones/{zoneId}/metrics/{indicator}/{period}", "api/v1/zones/zhongguancun-science-city/metrics/rd-expenditure/2021", 200 },
        { "/v1/cities/{cityId}/metrics/{indicator}/{period}", "api/v1/cities/beijing/metrics/innovation-platforms-area-share/2022", 200 },
        { "/v1/cities/{cityId}/metrics/{indicator}/{period}", "api/v1/cities/beijing/metrics/innovation-platforms-area-share/1999", 404 },
        { "/v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}", "api/v1/organizations/world-internet-conference/relations/initiated-by/organization/gsma", 200 },
        { "/v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}", "api/v1/organizations/world-internet-conference/relations/initiated-by/planet/gsma", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public Task ResponseValidatesAgainstTheDocumentForItsRouteAndStatus(string route, string path, int status) =>
        DocumentAssert.MatchesDocumentAsync(server.Api.Client, route, path, status);

    [Fact]
    public async Task ValidationFailsForAResponseThatBreaksTheSchema()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        var schema = DocumentAssert.Resolve(document, document["paths"]!["/v1/zones/{zoneId}"]!["get"]!["responses"]!["200"]!)["content"]!["application/json"]!["schema"]!;
        var zone = await server.Api.GetJsonAsync("api/v1/zones/zhongguancun-science-city");
        zone["kind"] = "science-town";
        zone["population"] = 1;

        var result = DocumentAssert.SchemaFor(document, schema).Evaluate(zone, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.False(result.IsValid);
    }
}

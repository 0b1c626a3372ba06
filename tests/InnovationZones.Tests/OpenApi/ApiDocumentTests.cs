
using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Json.Schema;

[assembly: ApiTag("Test writes", "Writes described the way the write endpoints are.")]

namespace InnovationZones.Tests.OpenApi;

/// <summary>How the document is built from the functions' attributes and the app's types.</summary>
[Trait("Category", Tier.Unit)]
public sealed class ApiDocumentTests
{
    private static readonly Lazy<JsonNode> AppDocument = new(() => JsonNode.Parse(ApiDocument.ToJson(ApiDocument.Build(typeof(ApiDocument).Assembly)))!);

    /// <summary>Functions described as the write endpoints will be: with a function key, a body, 201 and 204.</summary>
    public sealed class DescribedWrites
    {
        [Function("PutTestZone")]
        [ApiOperation("Test writes", "Create or replace a zone", Returns = typeof(Zone), Accepts = typeof(Zone), SuccessStatus = 201, NotFound = "City")]
        [ApiPath("zoneId", "The zone's id.", Example = "zhongguancun-science-city")]
        public static IResult Put(
            [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/zones/{zoneId}")] HttpRequest request, string zoneId) =>
            TypedResults.Created($"/api/v1/zones/{zoneId}", request.Path.Value);

        [Function("DeleteTestZone")]
        [ApiOperation("Test writes", "Delete a zone", SuccessStatus = 204, NotFound = "Zone")]
        [ApiPath("zoneId", "The zone's id.")]
        public static IResult Delete(
            [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/zones/{zoneId}")] HttpRequest request, string zoneId) =>
            TypedResults.NoContent();

        [Function("ImportTest")]
        [ApiOperation("Test writes", "Import", Accepts = typeof(InnovationZones.Domain.Dataset), AcceptsCsv = true, Problems = ["InvalidQueryParameterValue"])]
        public static IResult Import(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/import")] HttpRequest request) =>
            TypedResults.Ok(request.Path.Value);
    }

    [Fact]
    public void WritesAreDescribedFromTheirAttributesWithAFunctionKey()
    {
        var document = JsonNode.Parse(ApiDocument.ToJson(ApiDocument.Build(typeof(DescribedWrites).Assembly)))!;

        var zone = document["paths"]!["/v1/zones/{zoneId}"]!;
        var put = zone["put"]!;
        Assert.Equal("PutTestZone", put["operationId"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/Zone", put["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/Zone", put["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(put["responses"]!["404"]!["content"]!["application/problem+json"]!["examples"]!["CityNotFound"]);
        Assert.NotNull(put["responses"]!["400"]!["content"]!["application/problem+json"]!["examples"]!["InvalidId"]);
        Assert.Null(put["responses"]!["200"]);
        Assert.Null(put["responses"]!["304"]);
        Assert.Null(put["responses"]!["406"]);
        Assert.Equal("functionKey", Assert.Single(Assert.Single(put["security"]!.AsArray())!.AsObject()).Key);
        // The key is documented in its header only: the host takes `code` too, but a key in a URL is logged.
        Assert.Equal("header", document["components"]!["securitySchemes"]!["functionKey"]!["in"]!.GetValue<string>());
        Assert.Equal(["functionKey"], document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key));

        var delete = zone["delete"]!;
        Assert.Equal("No content", delete["responses"]!["204"]!["description"]!.GetValue<string>());
        Assert.Null(delete["responses"]!["204"]!["content"]);
        Assert.Null(delete["requestBody"]);

        var import = document["paths"]!["/v1/import"]!["post"]!;
        Assert.NotNull(import["requestBody"]!["content"]!["text/csv"]);
        Assert.Equal("#/components/schemas/Dataset", import["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(["Test writes"], document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void ReadsAreAnonymousAndWritesAndTheExportTakeAFunctionKeyInTheDocument()
    {
        var operations = AppDocument.Value["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).ToList();
        static bool IsExport(KeyValuePair<string, JsonNode?> o) => o.Value!["operationId"]!.GetValue<string>() == "Export";
        var (reads, writes) = (operations.Where(o => o.Key == "get" && !IsExport(o)).ToList(), operations.Where(o => o.Key != "get" || IsExport(o)).ToList());
        Assert.All(reads, o => Assert.Empty(Assert.Single(o.Value!["security"]!.AsArray())!.AsObject()));
        Assert.Equal(17, writes.Count);
        Assert.All(writes, o => Assert.Equal(["functionKey"], o.Value!["security"]!.AsArray().Select(r => Assert.Single(r!.AsObject()).Key)));
    }

    /// <summary>
    /// The reference page switches on, and sends, every optional parameter that has an example or a default, and keeps
    /// what was typed into a parameter component for every operation that refers to it: no optional parameter has
    /// either, and every parameter is the operation's own.
    /// </summary>
    [Fact]
    public void NoOptionalParameterIsPrefilledOrShared()
    {
        var document = AppDocument.Value;
        Assert.Null(document["components"]!["parameters"]);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var parameter in operation!["parameters"]?.AsArray() ?? [])
                {
                    var where = $"{method} {path} {parameter!["name"]}";
                    Assert.True(parameter["$ref"] is null, where);
                    if (parameter["required"]?.GetValue<bool>() != true)
                    {
                        Assert.True(parameter["example"] is null && parameter["examples"] is null, $"{where}: an example");
                        Assert.True(parameter["schema"]!["default"] is null, $"{where}: a default");
                        Assert.True(parameter["schema"]!["enum"] is not JsonArray { Count: 1 }, $"{where}: one value");
                    }
                }
            }
        }

        var city = document["paths"]!["/v1/zones"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "city")!;
        Assert.Contains("For example `beijing`.", city["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void TagsAreInTheOrderANewcomerReadsThem() =>
        Assert.Equal(
            ["Zones", "Organizations", "Cities", "Metrics", "Industries", "Stats", "Changes", "Import", "Export", "Health", "Reference"],
            AppDocument.Value["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));

    /// <summary>Every write has a request body example; a merge patch's is a patch, a PUT's a whole body.</summary>
    [Fact]
    public void EveryWriteHasABodyExample()
    {
        var writes = (
            from path in AppDocument.Value["paths"]!.AsObject()
            from operation in path.Value!.AsObject()
            where operation.Value!["requestBody"] is not null
            select (Name: $"{operation.Key} {path.Key}", Content: operation.Value!["requestBody"]!["content"]!.AsObject())).ToList();
        Assert.Equal(11, writes.Count);
        Assert.All(writes, write => Assert.True(
            write.Content.Any(c => c.Key != "text/csv" && c.Value!["example"] is JsonObject), $"{write.Name}: no example"));
    }

    /// <summary>Each operation's problem examples name its own parameters, and each is headed by its own title.</summary>
    [Fact]
    public void ProblemExamplesAreEachOperationsOwn()
    {
        var paths = AppDocument.Value["paths"]!;
        string Unknown(string path, string method) =>
            paths[path]![method]!["responses"]!["400"]!["content"]!["application/problem+json"]!["examples"]!["UnknownQueryParameter"]!["value"]!["errors"]!["colour"]![0]!.GetValue<string>();
        Assert.Equal("Unknown parameter. This endpoint takes: city, kind, industry, maxpagesize, continuationToken.", Unknown("/v1/zones", "get"));
        Assert.Equal("This endpoint takes no query parameters.", Unknown("/health", "get"));
        Assert.Equal("Unknown parameter. This endpoint takes: atomic.", Unknown("/v1/import", "post"));

        var badId = paths["/v1/organizations/{orgId}"]!["get"]!["responses"]!["400"]!["content"]!["application/problem+json"]!["examples"]!["InvalidId"]!["value"]!;
        Assert.NotNull(badId["errors"]!["orgId"]);

        foreach (var (path, item) in paths.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    foreach (var (code, example) in response!["content"]?["application/problem+json"]?["examples"]?.AsObject() ?? [])
                    {
                        var value = example!["value"]!;
                        Assert.Equal(value["title"]!.GetValue<string>(), example["summary"]!.GetValue<string>());
                        Assert.Equal(code, value["code"]!.GetValue<string>());
                        Assert.Equal("/api/problems/" + code, value["type"]!.GetValue<string>());
                        Assert.Contains($"`{code}`", response["description"]!.GetValue<string>(), StringComparison.Ordinal);
                        Assert.Contains(value["title"]!.GetValue<string>(), response["description"]!.GetValue<string>(), StringComparison.Ordinal);
                    }
                }
            }
        }

        Assert.DoesNotContain("docs/problems.md", AppDocument.Value["components"]!["schemas"]!["Problem"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Every problem code the API answers has an explanation the API serves.</summary>
    [Fact]
    public void EveryProblemCodeIsExplained() =>
        Assert.All(ApiProblems.Codes, code => Assert.NotNull(ProblemPages.Find(code)));

    [Fact]
    public void WritesDescribeTheirPreconditionsBodiesAndStatuses()
    {
        var zone = AppDocument.Value["paths"]!["/v1/zones/{zoneId}"]!;
        var put = zone["put"]!;
        Assert.Equal(["zoneId", "If-Match", "If-None-Match", "X-Change-Reason"], put["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("^\\*$", put["parameters"]![2]!["schema"]!["pattern"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/ZoneBody", put["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(put["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(put["responses"]!["201"]!["headers"]!["Location"]);
        Assert.Equal(["400", "409", "412", "413", "415", "401", "429"], put["responses"]!.AsObject().Select(r => r.Key).Where(k => k[0] == '4'));

        var patch = zone["patch"]!;
        Assert.Equal("object", patch["requestBody"]!["content"]!["application/merge-patch+json"]!["schema"]!["type"]!.GetValue<string>());
        Assert.Null(patch["requestBody"]!["content"]!["application/json"]);
        Assert.NotNull(patch["responses"]!["404"]!["content"]!["application/problem+json"]!["examples"]!["ZoneNotFound"]);
        Assert.Null(patch["responses"]!["201"]);

        var delete = zone["delete"]!;
        Assert.NotNull(delete["responses"]!["409"]!["content"]!["application/problem+json"]!["examples"]!["ZoneInUse"]);
        Assert.Null(delete["responses"]!["204"]!["headers"]);

        var import = AppDocument.Value["paths"]!["/v1/import"]!["post"]!;
        Assert.Equal(2, import["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray().Count);
        Assert.Equal("boolean", import["parameters"]![0]!["schema"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void SchemasFollowTheSerializer()
    {
        var schemas = AppDocument.Value["components"]!["schemas"]!;

        // nextLink is left out on the last page, so it is not required; every record member is.
        Assert.Equal(["value"], schemas["ZoneList"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(10, schemas["Zone"]!["required"]!.AsArray().Count);
        Assert.False(schemas["Zone"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(EnumNames.All<Qualifier>(), schemas["Qualifier"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("#/components/schemas/Quantity", schemas["Zone"]!["properties"]!["area"]!["oneOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.Equal("null", schemas["Zone"]!["properties"]!["area"]!["oneOf"]![1]!["type"]!.GetValue<string>());
        Assert.Equal("number", schemas["MetricObservation"]!["properties"]!["value"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void EveryExampleValidatesAgainstItsSchema()
    {
        var document = AppDocument.Value;
        var checkedExamples = 0;
        var mediaTypes = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => o.Value!["responses"]!.AsObject())
            .Concat(document["components"]!["responses"]!.AsObject())
            .Where(r => r.Value!["content"] is not null)
            .SelectMany(r => r.Value!["content"]!.AsObject().Select(c => (Name: $"{r.Key} {c.Key}", MediaType: c.Value!)));
        foreach (var (name, mediaType) in mediaTypes)
        {
            var examples = (mediaType["examples"]?.AsObject().Select(e => e.Value!["value"]!) ?? [])
                .Concat(mediaType["example"] is { } example ? [example] : []);
            foreach (var value in examples)
            {
                var result = DocumentAssert.SchemaFor(document, mediaType["schema"]!).Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, $"{name}: {value.ToJsonString()}");
                checkedExamples++;
            }
        }

        Assert.True(checkedExamples > 40, $"{checkedExamples} examples");
    }

    [Fact]
    public void ExamplesAreBeijingData()
    {
        var zone = AppDocument.Value["paths"]!["/v1/zones/{zoneId}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal("zhongguancun-science-city", zone["id"]!.GetValue<string>());

        var metrics = AppDocument.Value["paths"]!["/v1/cities/{cityId}/metrics"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.All(metrics["value"]!.AsArray(), m => Assert.Equal("beijing", m!["scope"]!["id"]!.GetValue<string>()));
        Assert.NotEmpty(metrics["value"]!.AsArray());

        var zones = AppDocument.Value["paths"]!["/v1/zones"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal(2, zones["value"]!.AsArray().Count);
        Assert.StartsWith("http://localhost:7071/api/v1/zones?maxpagesize=2&continuationToken=", zones["nextLink"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

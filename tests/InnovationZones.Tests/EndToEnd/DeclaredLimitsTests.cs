using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// Every bound that the OpenAPI document declares on a write body (maxLength, minLength, maxItems,
/// maxProperties, the length of a map's keys, a number's minimum and maximum) is the server's: the value
/// at the bound is accepted (2xx) and the value one past it is a 400 InvalidBody that names the field.
/// The bounds are read from the document, so a rule added to a type is tested without a new line here.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class DeclaredLimitsTests(DeclaredLimitsTests.Server server) : IClassFixture<DeclaredLimitsTests.Server>
{
    /// <summary>Industries that a list at its maximum length names; each must exist.</summary>
    private const int ListedIndustries = 60;

    private static readonly string LongId = new('a', 100);

    private static readonly JsonObject Document =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "docs", "openapi.json")))!.AsObject();

    /// <summary>A valid body for each write, with every optional part present so that its bounds are reached.</summary>
    private static readonly Dictionary<string, (string Path, string Body)> Writes = new(StringComparer.Ordinal)
    {
        ["PUT /v1/zones/{zoneId}"] = ("api/v1/zones/limits-zone", $$"""
            {"name": "Limits Zone", "cityId": "beijing", "kind": "high-tech-zone", "district": "Haidian",
             "area": {"value": 12.5, "unit": "km2", "qualifier": "about", "source": {{Source}} },
             "focusIndustries": ["semiconductor"],
             "policies": [{"id": "p1", "text": "A policy.", "source": {{Source}} }],
             "goals": [{"id": "g1", "text": "A goal.", "source": {{Source}} }],
             "sources": {"name": {{Source}} } }
            """),
        ["PUT /v1/organizations/{orgId}"] = ("api/v1/organizations/limits-organization", $$"""
            {"name": "Limits Organization", "shortName": "LO", "type": "company",
             "headquarters": {"cityId": "beijing", "city": "Beijing", "country": "China"},
             "established": "2020-01-31", "industries": ["blockchain"], "sources": {"name": {{Source}} } }
            """),
        ["PUT /v1/zones/{zoneId}/metrics/{indicator}/{period}"] = ("api/v1/zones/zhongguancun-science-city/metrics/limits-indicator/2021", Metric),
        ["PUT /v1/cities/{cityId}/metrics/{indicator}/{period}"] = ("api/v1/cities/beijing/metrics/limits-indicator/2021", Metric),
        ["PUT /v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}"] = (
            "api/v1/organizations/world-internet-conference/relations/initiated-by/organization/gsma", $$"""{"source": {{Source}} }"""),
    };

    private static string Source => $$"""{"document": "{{WriteRequests.Document}}", "quote": "A quote.", "locator": "paragraph 1"}""";

    private static string Metric => $$"""
        {"name": "Limits indicator", "period": {"kind": "year", "note": "A note."}, "value": 12.5, "denominator": 3,
         "unit": "count", "qualifier": "exact",
         "equivalents": [{"value": 1.5, "unit": "billion-usd", "qualifier": "about"}],
         "change": {"value": 1.5, "unit": "percent", "qualifier": "exact", "basis": "year on year", "comparedTo": "2020"},
         "comparison": {"value": 1.5, "unit": "percent", "qualifier": "exact", "against": "Beijing", "text": "A comparison."},
         "source": {{Source}} }
        """;

    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        /// <summary>Beijing, plus a city, a document and industries whose ids are as long as an id can be, for references at the bound.</summary>
        public async Task InitializeAsync()
        {
            Api = await ApiServer.StartAsync();
            await Api.ImportAsync(new InnovationZones.Domain.Dataset(
                Documents: [new(LongId, "A document with the longest id", null, null)],
                Industries: [new(LongId, "An industry with the longest id"), .. Enumerable.Range(0, ListedIndustries).Select(i => new InnovationZones.Domain.Industry(Item(i), $"Industry {i}"))],
                Cities: [new(LongId, "A city with the longest id", null, null, null)]));
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    public static TheoryData<string> Bounds => new(Writes.Keys.SelectMany(operation => BoundsOf(operation).Select(b => $"{operation} {b}")));

    [Fact]
    public void EveryWriteBodyDeclaresItsLimits()
    {
        var bounds = Writes.Keys.SelectMany(BoundsOf).ToList();
        Assert.True(bounds.Count >= 60, $"{bounds.Count} bounds");
        Assert.Contains("/name maxLength 200 letters", bounds);
        Assert.Contains("/name minLength 1 letters", bounds);
        Assert.Contains("/focusIndustries maxItems 50 letters", bounds);
        Assert.Contains("/sources propertyNames.maxLength 50 letters", bounds);
        Assert.Contains("/denominator minimum 1 letters", bounds);
        Assert.Contains("/source/quote maxLength 2000 letters", bounds);
        Assert.Contains("/established maxLength 10 date", bounds);
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task TheValueAtTheBoundIsAcceptedAndOnePastItIsRejected(string bound)
    {
        var parts = bound.Split(' ');
        var operation = $"{parts[0]} {parts[1]}";
        var (path, body) = Writes[operation];
        var (pointer, keyword, limit, value) = (parts[2], parts[3], decimal.Parse(parts[4], CultureInfo.InvariantCulture), parts[5]);

        using (var atBound = await PutAsync(path, Change(body, pointer, keyword, limit, value, beyond: false)))
        {
            var text = await atBound.Content.ReadAsStringAsync();
            Assert.True(atBound.IsSuccessStatusCode, $"{bound}, at the bound: {(int)atBound.StatusCode} {text}");
        }

        using var beyond = await PutAsync(path, Change(body, pointer, keyword, limit, value, beyond: true));
        var problem = await HttpAssert.ProblemAsync(beyond, 400, "InvalidBody");
        Assert.Contains(JsonPath(pointer), problem["errors"]!.AsObject().Select(e => e.Key));
    }

    private async Task<HttpResponseMessage> PutAsync(string path, JsonNode body)
    {
        using var request = WriteRequests.Put(path, body.ToJsonString());
        if (server.Api.FunctionKey is { } key)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return await server.Api.Client.SendAsync(request);
    }

    /// <summary>Each bound in the operation's body, as "pointer keyword limit", found by walking the body along its schema.</summary>
    private static List<string> BoundsOf(string operation)
    {
        var (method, route) = (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var schema = Document["paths"]![route]![method.ToLowerInvariant()]!["requestBody"]!["content"]!["application/json"]!["schema"]!.AsObject();
        var bounds = new List<string>();
        Walk(JsonNode.Parse(Writes[operation].Body)!, schema, "", bounds);
        return bounds;
    }

    private static void Walk(JsonNode value, JsonObject schema, string pointer, List<string> bounds)
    {
        schema = Resolve(schema);
        void Bound(string keyword, JsonNode? limit, string value = "letters")
        {
            if (limit is not null)
            {
                bounds.Add($"{pointer} {keyword} {limit.ToJsonString()} {value}");
            }
        }

        switch (value)
        {
            case JsonObject obj:
                Bound("maxProperties", schema["maxProperties"]);
                Bound("propertyNames.maxLength", schema["propertyNames"]?["maxLength"]);
                foreach (var (name, member) in obj)
                {
                    if (member is not null && (schema["properties"]?[name] ?? schema["additionalProperties"]) is JsonObject memberSchema)
                    {
                        Walk(member, memberSchema, $"{pointer}/{name}", bounds);
                    }
                }

                break;
            case JsonArray array:
                Bound("maxItems", schema["maxItems"]);
                Walk(array[0]!, schema["items"]!.AsObject(), $"{pointer}/0", bounds);
                break;
            case JsonValue when schema["type"]?.ToJsonString().Contains("string", StringComparison.Ordinal) == true
                && (schema["format"]?.GetValue<string>() == "date" || schema["pattern"]?.GetValue<string>() == InnovationZones.Contracts.Periods.Pattern):
                // A date or a period is at its longest as a whole date.
                Bound("maxLength", schema["maxLength"], "date");
                break;
            case JsonValue when schema["type"]?.ToJsonString().Contains("string", StringComparison.Ordinal) == true:
                Bound("maxLength", schema["maxLength"]);
                Bound("minLength", schema["minLength"]);
                break;
            case JsonValue when schema["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true:
                Bound("minimum", schema["minimum"]);
                Bound("maximum", schema["maximum"]);
                break;
        }
    }

    /// <summary>A component for a <c>$ref</c>, and the value's alternative of a nullable <c>oneOf</c>.</summary>
    private static JsonObject Resolve(JsonObject schema)
    {
        if (schema["oneOf"] is JsonArray oneOf)
        {
            schema = oneOf.Select(s => s!.AsObject()).First(s => s["type"]?.GetValue<string>() != "null");
        }

        return schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(Document["components"]!["schemas"]![reference.Split('/')[^1]]!.AsObject())
            : schema;
    }

    /// <summary>The body with the value at <paramref name="pointer"/> set to the bound, or one past it.</summary>
    private static JsonNode Change(string body, string pointer, string keyword, decimal limit, string value, bool beyond)
    {
        var root = JsonNode.Parse(body)!;
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = segments[..^1].Aggregate(root, (node, segment) => node is JsonArray a ? a[int.Parse(segment, CultureInfo.InvariantCulture)]! : node[segment]!);
        var target = parent is JsonArray items ? items[int.Parse(segments[^1], CultureInfo.InvariantCulture)]! : parent[segments[^1]]!;
        var count = (int)limit + (beyond ? keyword.StartsWith("min", StringComparison.Ordinal) ? -1 : 1 : 0);
        JsonNode replacement = keyword switch
        {
            // A slug or text of the length: letters are both. An id at its longest names the entities imported above.
            "maxLength" when value == "date" => JsonValue.Create("2021-01-31" + (beyond ? "1" : "")),
            "maxLength" or "minLength" => JsonValue.Create(new string('a', count)),
            "minimum" or "maximum" => JsonValue.Create(beyond ? limit + (keyword == "minimum" ? -1 : 1) : limit),
            "maxItems" => new JsonArray([.. Enumerable.Range(0, count).Select(i => ItemLike(((JsonArray)target)[0]!, i))]),
            "maxProperties" => new JsonObject(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(Item(i), (JsonNode?)((JsonObject)target).First().Value!.DeepClone()))),
            "propertyNames.maxLength" => new JsonObject(((JsonObject)target).Select((p, i) => KeyValuePair.Create(i == 0 ? new string('a', count) : p.Key, p.Value?.DeepClone()))),
            _ => throw new InvalidOperationException(keyword),
        };
        if (parent is JsonArray list)
        {
            list[int.Parse(segments[^1], CultureInfo.InvariantCulture)] = replacement;
        }
        else
        {
            parent[segments[^1]] = replacement;
        }

        return root;
    }

    /// <summary>The <paramref name="index"/>th of a list's items, unique where the list needs it: an industry id, or a statement with its own id.</summary>
    private static JsonNode ItemLike(JsonNode first, int index)
    {
        if (first is JsonValue)
        {
            return JsonValue.Create(Item(index));
        }

        var item = first.DeepClone();
        if (item["id"] is not null)
        {
            item["id"] = Item(index);
        }

        return item;
    }

    private static string Item(int index) => "limit-" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The JSON path that a problem's <c>errors</c> uses for a pointer: <c>/policies/0/text</c> is <c>$.policies[0].text</c>.</summary>
    private static string JsonPath(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Append(int.TryParse(segment, CultureInfo.InvariantCulture, out _) ? $"[{segment}]" : $".{segment}");
        }

        return path.ToString();
    }
}

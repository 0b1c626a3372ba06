using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CsvHelper;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Wire;

/// <summary><c>Accept: text/csv</c> on lists: the same items, filters and pages as JSON, flattened, with a header row.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class CsvTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    private ApiServer Api => server.Api;

    public static TheoryData<string> Lists() =>
    [
        "api/v1/zones",
        "api/v1/zones?kind=science-city",
        "api/v1/zones/zhongguancun-science-city/metrics",
        "api/v1/zones/zhongguancun-science-city/metrics?indicator=rd-expenditure&from=2021",
        "api/v1/cities/beijing/metrics",
        "api/v1/organizations",
        "api/v1/organizations/world-internet-conference/relations",
        "api/v1/cities",
        "api/v1/industries",
        "api/v1/organizations?maxpagesize=3",
    ];

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task CsvCarriesTheSameItemsAsJsonForTheSameQueryAndPage(string path)
    {
        var json = await Api.GetJsonAsync(path);
        var items = json["value"]!.AsArray();
        Assert.NotEmpty(items);
        var (headers, rows) = await GetCsvAsync(path);

        Assert.Equal(items.Count, rows.Count);
        for (var i = 0; i < items.Count; i++)
        {
            AssertSameContent(items[i]!.AsObject(), headers, rows[i], $"{path} item {i}");
        }
    }

    [Fact]
    public async Task CsvHeadersNameNestedValuesByTheirJsonPath()
    {
        var (headers, rows) = await GetCsvAsync("api/v1/zones/zhongguancun-science-city/metrics?indicator=rd-expenditure&from=2021&to=2021");
        Assert.Equal(
            ["scope.kind", "scope.id", "indicator", "name", "period.value", "period.kind", "period.note", "value", "denominator", "unit", "qualifier",
             "equivalents", "change.value", "change.unit", "change.qualifier", "change.basis", "change.comparedTo",
             "comparison.value", "comparison.unit", "comparison.qualifier", "comparison.against", "comparison.text",
             "source.document", "source.quote", "source.locator"],
            headers);
        var row = Assert.Single(rows);
        Assert.Equal("239.30", row["value"]);
        Assert.Equal("billion-cny", row["unit"]);
        Assert.Equal("20.4", row["change.value"]);
        Assert.Equal("", row["denominator"]);
        Assert.Equal("""[{"value":34.49,"unit":"billion-usd","qualifier":"exact"}]""", row["equivalents"]);
        Assert.Contains("239.30 billion yuan ($34.49 billion)", row["source.quote"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyPageHasTheHeaderRowOnly()
    {
        var (_, full) = await GetCsvAsync("api/v1/cities/beijing/metrics");
        Assert.NotEmpty(full);
        using var response = await ConditionalRequestTests.GetAsync(Api, "api/v1/cities/beijing/metrics?from=2099", ("Accept", "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        var (headers, rows) = Parse(text);
        Assert.Empty(rows);
        Assert.Contains("source.quote", headers);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CsvPagesFollowTheLinkHeaderAndMatchTheJsonPages()
    {
        const string path = "api/v1/organizations?maxpagesize=2";
        var jsonIds = (await Api.GetAllPagesAsync(path)).SelectMany(p => p).Select(o => o!["id"]!.GetValue<string>()).ToList();

        var csvIds = new List<string>();
        string? next = path;
        var pages = 0;
        while (next is not null)
        {
            Assert.True(++pages <= 20, "too many pages");
            using var response = await ConditionalRequestTests.GetAsync(Api, next, ("Accept", "text/csv"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("nextLink", body, StringComparison.Ordinal);
            Assert.DoesNotContain("continuationToken", body, StringComparison.Ordinal);
            csvIds.AddRange(Parse(body).Rows.Select(r => r["id"]));
            next = LinkTests.NextLinkFrom(response);
        }

        Assert.Equal(7, jsonIds.Count);
        Assert.Equal(jsonIds, csvIds);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task CsvAndJsonOfOnePageHaveTheirOwnETagsAndVaryOnAccept()
    {
        using var json = await Api.Client.GetAsync("api/v1/zones");
        using var csv = await ConditionalRequestTests.GetAsync(Api, "api/v1/zones", ("Accept", "text/csv"));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", csv.Content.Headers.ContentType?.CharSet);
        Assert.Contains("Accept", csv.Headers.Vary);
        Assert.Contains("Accept", json.Headers.Vary);
        Assert.NotEqual(json.Headers.ETag, csv.Headers.ETag);

        using var notModified = await ConditionalRequestTests.GetAsync(Api, "api/v1/zones", ("Accept", "text/csv"), ("If-None-Match", csv.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var jsonTagOnCsv = await ConditionalRequestTests.GetAsync(Api, "api/v1/zones", ("Accept", "text/csv"), ("If-None-Match", json.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, jsonTagOnCsv.StatusCode);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/*", "application/json")]
    [InlineData("text/csv", "text/csv")]
    [InlineData("text/*", "text/csv")]
    [InlineData("text/csv; charset=utf-8", "text/csv")]
    [InlineData("text/csv;q=0.5, application/json", "application/json")]
    [InlineData("application/json;q=0.4, text/csv", "text/csv")]
    [InlineData("text/csv;q=0, */*", "application/json")]
    [InlineData("application/xml, text/csv;q=0.1", "text/csv")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json")]
    public async Task AcceptChoosesTheMediaTypeWithQValues(string? accept, string expected)
    {
        using var response = accept is null
            ? await Api.Client.GetAsync("api/v1/industries")
            : await ConditionalRequestTests.GetAsync(Api, "api/v1/industries", ("Accept", accept));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/v1/zones", "application/xml")]
    [InlineData("api/v1/zones", "application/json;q=0")]
    [InlineData("api/v1/zones", "text/csv;q=0, application/json;q=0")]
    [InlineData("api/v1/zones", "image/png, text/html")]
    [InlineData("api/v1/zones/zhongguancun-science-city", "text/csv")]
    [InlineData("api/v1/cities/beijing/metrics", "application/xml")]
    [InlineData("api/health", "text/csv")]
    public async Task AnAcceptNothingOffersIs406(string path, string accept)
    {
        using var response = await ConditionalRequestTests.GetAsync(Api, path, ("Accept", accept));
        var problem = await HttpAssert.ProblemAsync(response, 406, "NotAcceptable");
        Assert.Contains("application/json", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<(List<string> Headers, List<Dictionary<string, string>> Rows)> GetCsvAsync(string path)
    {
        using var response = await ConditionalRequestTests.GetAsync(Api, path, ("Accept", "text/csv"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return Parse(body);
    }

    internal static (List<string> Headers, List<Dictionary<string, string>> Rows) Parse(string text)
    {
        using var reader = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        Assert.True(reader.Read() && reader.ReadHeader(), "a header row");
        List<string> headers = [.. reader.HeaderRecord!];
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(headers.Count, reader.Parser.Count);
            rows.Add(headers.Select((h, i) => (h, v: reader.GetField(i) ?? "")).ToDictionary(p => p.h, p => p.v, StringComparer.Ordinal));
        }

        return (headers, rows);
    }

    /// <summary>
    /// Every value of the JSON item is in the CSV row under its dotted path (lists as JSON arrays); every member
    /// of a null object is empty; and the row has no column that the item does not account for.
    /// </summary>
    private static void AssertSameContent(JsonObject item, List<string> headers, Dictionary<string, string> row, string where)
    {
        var flat = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        Flatten(item, "", flat, headers);
        foreach (var header in headers)
        {
            var owner = flat.Keys.FirstOrDefault(k => header == k || header.StartsWith(k + ".", StringComparison.Ordinal));
            Assert.True(owner is not null, $"{where}: column {header} is not in the JSON");
        }

        foreach (var (path, value) in flat)
        {
            switch (value)
            {
                case null:
                    var columns = headers.Where(h => h == path || h.StartsWith(path + ".", StringComparison.Ordinal)).ToList();
                    Assert.True(columns.Count > 0, $"{where}: no column for {path}");
                    Assert.All(columns, c => Assert.Equal("", row[c]));
                    break;
                case JsonArray or JsonObject:
                    Assert.True(JsonNode.DeepEquals(value, JsonNode.Parse(row[path])), $"{where}: {path} is {row[path]}, not {value.ToJsonString()}");
                    break;
                case JsonValue scalar when scalar.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    Assert.Equal(scalar.GetValue<string>(), row[path]);
                    break;
                default:
                    Assert.Equal(value.ToJsonString(), row[path]);
                    break;
            }
        }
    }

    /// <summary>Objects become dotted paths, except a map whose keys are data (<c>sources</c>): one column of JSON.</summary>
    private static void Flatten(JsonObject node, string prefix, Dictionary<string, JsonNode?> into, List<string> headers)
    {
        foreach (var (name, value) in node)
        {
            if (value is JsonObject child && !headers.Contains(prefix + name))
            {
                Flatten(child, prefix + name + ".", into, headers);
            }
            else
            {
                into[prefix + name] = value;
            }
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.Contracts;
using InnovationZones.OpenApi;

namespace InnovationZones.Tests.OpenApi;

/// <summary>The document's parameters are as tight as the server: what a schema admits, the server takes.</summary>
[Trait("Category", Tier.Unit)]
public sealed class ParameterSchemaTests
{
    private static readonly Lazy<JsonNode> Document = new(() => JsonNode.Parse(ApiDocument.ToJson(ApiDocument.Build(typeof(ApiDocument).Assembly)))!);

    private static JsonNode Parameter(string path, string name) =>
        Document.Value["paths"]![path]!["get"]!["parameters"]!.AsArray()
            .Select(p => DocumentAssert.Resolve(Document.Value, p!))
            .Single(p => p["name"]!.GetValue<string>() == name);

    private static bool Admits(JsonNode parameter, string value) =>
        DocumentAssert.SchemaFor(Document.Value, parameter["schema"]!).Evaluate(JsonValue.Create(value)).IsValid;

    [Theory]
    [InlineData("2021", true)]
    [InlineData("0000", true)]
    [InlineData("2021-12", true)]
    [InlineData("2024-02-29", true)]
    [InlineData("2000-02-29", true)]
    [InlineData("2021-13", false)]
    [InlineData("2021-00", false)]
    [InlineData("0000-01", false)]
    [InlineData("2021-02-30", false)]
    [InlineData("2023-02-29", false)]
    [InlineData("1900-02-29", false)]
    [InlineData("2021-04-31", false)]
    [InlineData("2021-1", false)]
    public void ThePeriodSchemasAdmitRealDatesOnly(string period, bool valid)
    {
        Assert.Equal(valid, Admits(Parameter("/v1/zones/{zoneId}/metrics/{indicator}/{period}", "period"), period));
        Assert.Equal(valid, Admits(Parameter("/v1/zones/{zoneId}/metrics", "from"), period));
        Assert.Equal(valid, Admits(Parameter("/v1/cities/{cityId}/metrics", "to"), period));
        Assert.Equal(valid, Periods.IsValid(period));
    }

    [Fact]
    public void ThePeriodPatternIsTheCalendar()
    {
        var pattern = new Regex(Periods.Pattern, RegexOptions.CultureInvariant);
        foreach (var year in Enumerable.Range(0, 2500).Concat([9996, 9999]))
        {
            for (var month = 0; month <= 13; month++)
            {
                var ym = $"{year:D4}-{month:D2}";
                Assert.Equal(year > 0 && month is >= 1 and <= 12, pattern.IsMatch(ym));
                for (var day = 0; day <= 32; day++)
                {
                    var date = $"{ym}-{day:D2}";
                    var real = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
                    Assert.True(real == pattern.IsMatch(date), date);
                }
            }
        }
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("\"abc\"", true)]
    [InlineData("W/\"datetime'2026-11-29T10%3A00%3A00.1Z'\"", true)]
    [InlineData("\"a\", \"b\"", false)]
    [InlineData("\"a b\"", false)]
    [InlineData("abc", false)]
    [InlineData("B1AHT*", false)]
    public void IfMatchIsOneEntityTagOrAStar(string value, bool valid)
    {
        var ifMatch = DocumentAssert.Resolve(Document.Value, Document.Value["paths"]!["/v1/zones/{zoneId}"]!["patch"]!["parameters"]!.AsArray()
            .Select(p => DocumentAssert.Resolve(Document.Value, p!)).Single(p => p["name"]!.GetValue<string>() == "If-Match"));
        Assert.Equal(valid, Admits(ifMatch, value));
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("\"abc\"", true)]
    [InlineData("\"a\", W/\"b\"", true)]
    [InlineData(" , \"a\",,\"b\" ,", true)]
    [InlineData("M%m|*", false)]
    [InlineData("'*", false)]
    [InlineData("B1AHT*", false)]
    [InlineData("*, \"a\"", false)]
    [InlineData("", false)]
    public void IfNoneMatchIsAStarOrAListOfEntityTags(string value, bool valid) =>
        Assert.Equal(valid, Admits(Parameter("/v1/zones", "If-None-Match"), value));

    [Fact]
    public void AContinuationTokenIsNeverEmpty()
    {
        Assert.False(Admits(Parameter("/v1/zones", "continuationToken"), ""));
        Assert.True(Admits(Parameter("/v1/zones", "continuationToken"), "x"));
    }

    [Theory]
    [InlineData("china", true)]
    [InlineData("Zhōng guān", true)]
    [InlineData("a\u0000b", false)]
    [InlineData("tab\t", false)]
    [InlineData("\u007f", false)]
    [InlineData("\u0085", false)]
    [InlineData("", false)]
    public void ANamePrefixHasNoControlCharacters(string value, bool valid) =>
        Assert.Equal(valid, Admits(Parameter("/v1/organizations", "namePrefix"), value));

    [Fact]
    public void EveryAssetOfTheReferencePageIsDocumentedWithItsMediaType()
    {
        var content = Document.Value["paths"]!["/docs/{asset}"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
        foreach (var asset in ReferencePage.Assets)
        {
            var mediaType = ReferencePage.Asset(asset, acceptEncoding: "")!.Value.ContentType.Split(';')[0];
            Assert.True(content.ContainsKey(mediaType), $"{asset} is served as {mediaType}, which the document does not give");
        }
    }
}

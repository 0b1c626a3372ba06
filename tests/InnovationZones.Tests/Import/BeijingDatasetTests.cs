using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Import;

/// <summary>The curated Beijing dataset against its article: every quote is verbatim, every figure is there.</summary>
[Trait("Category", Tier.Unit)]
public sealed partial class BeijingDatasetTests
{
    private static readonly string Article = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sources", "beijing-innovation-platforms-2022.txt"));
    private static readonly JsonNode Data = JsonNode.Parse(File.ReadAllText(ApiServer.BeijingDataset))!;

    [Fact]
    public void TheDatasetParsesAndValidates()
    {
        var dataset = DatasetImporter.Parse(File.ReadAllText(ApiServer.BeijingDataset));
        var validator = DatasetValidator.Validate(dataset);
        Assert.Empty(validator.Errors);
        Assert.Empty(validator.ExternalReferences);
        Assert.Equal(["future-science-city", "huairou-science-city", "yizhuang-economic-development-zone", "zhongguancun-science-city"], dataset.Zones!.Select(z => z.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["alibaba-group", "cncert", "cnnic", "gsma", "tencent", "world-internet-conference", "zhijiang-lab"], dataset.Organizations!.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.Equal("beijing", Assert.Single(dataset.Cities!).Id);
    }

    [Fact]
    public void EveryQuoteIsVerbatimFromTheArticle()
    {
        var quotes = Sources(Data).Select(s => s["quote"]!.GetValue<string>()).ToList();
        Assert.True(quotes.Count > 40, $"{quotes.Count} quotes");
        Assert.All(quotes, quote => Assert.Contains(quote, Article, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryLocatorNamesTheParagraphThatHoldsTheQuote()
    {
        var paragraphs = Article.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(Sources(Data), source =>
        {
            var locator = source["locator"]!.GetValue<string>();
            var number = int.Parse(locator["paragraph ".Length..], CultureInfo.InvariantCulture);
            Assert.Contains(source["quote"]!.GetValue<string>(), paragraphs[number - 1], StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryFigureInTheArticleIsInTheDataset()
    {
        // Numbers as the article writes them ("1,548", "239.30", "$34.49"), as plain decimals.
        var figures = NumberPattern().Matches(Article).Select(m => m.Value.Replace(",", "", StringComparison.Ordinal)).Distinct().ToList();
        var values = Values(Data).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(19, figures.Count);
        Assert.All(figures, figure => Assert.True(
            values.Contains(figure) || (figure == "10000" && values.Contains("patents-per-10k-people")),
            $"The article's figure {figure} is not in the dataset."));

        // The one figure in words: "about one-third", kept as the fraction 1/3.
        Assert.Contains("about one-third", Article, StringComparison.Ordinal);
        Assert.Contains("1/3", values);
    }

    private static IEnumerable<JsonObject> Sources(JsonNode node) => node switch
    {
        JsonObject o when o.ContainsKey("document") && o.ContainsKey("quote") => [o],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Sources(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Sources(n)),
        _ => [],
    };

    /// <summary>Every figure the dataset states: numbers (as written), periods, dates, units, and fractions as n/d.</summary>
    private static IEnumerable<string> Values(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["value"] is JsonValue v && o["denominator"] is JsonValue d)
                {
                    yield return $"{v.ToJsonString()}/{d.ToJsonString()}";
                }

                foreach (var (_, child) in o)
                {
                    foreach (var value in child is null ? [] : Values(child))
                    {
                        yield return value;
                    }
                }

                break;
            case JsonArray a:
                foreach (var value in a.SelectMany(n => n is null ? [] : Values(n)))
                {
                    yield return value;
                }

                break;
            case JsonValue value:
                var text = value.ToJsonString().Trim('"');
                yield return text;
                foreach (var part in text.Split('-'))
                {
                    yield return part;
                }

                break;
        }
    }

    [GeneratedRegex(@"(?<![\w-])\d[\d,]*(\.\d+)?")]
    private static partial Regex NumberPattern();
}

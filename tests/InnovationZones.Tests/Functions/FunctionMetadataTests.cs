using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Functions;

/// <summary>The built functions.metadata (what the Functions host reads) against the routes docs/endpoints.md documents.</summary>
[Trait("Category", Tier.Unit)]
public sealed partial class FunctionMetadataTests
{
    private static readonly string ReadmePath = Path.Combine(AppContext.BaseDirectory, "endpoints.md");

    private static string MetadataPath => Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    public sealed record Documented(string Name, string Methods, string Route, string Auth);

    /// <summary>The function table of docs/endpoints.md: | `GET` | `/api/v1/zones` | `ListZones` | anonymous | ... |</summary>
    private static List<Documented> ReadmeFunctions()
    {
        var readme = File.ReadAllText(ReadmePath);
        var start = readme.IndexOf("<!-- functions:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- functions:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/endpoints.md has no functions table markers");
        return [.. RowPattern().Matches(readme[start..end]).Select(m => new Documented(
            m.Groups["name"].Value, m.Groups["methods"].Value, m.Groups["route"].Value, m.Groups["auth"].Value))];
    }

    /// <summary>The HTTP functions of the built functions.metadata, routes with the host's prefix.</summary>
    public static List<Documented> BuiltHttpFunctions() => [.. BuiltFunctions().Where(f => f.Methods != "timer")];

    private static List<Documented> BuiltFunctions()
    {
        var routePrefix = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "host.json")))!["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();
        var functions = JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray();
        return [.. functions.Select(f =>
        {
            var trigger = f!["bindings"]!.AsArray().Single(b => b!["direction"]!.GetValue<string>() == "In" && b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;
            var name = f["name"]!.GetValue<string>();
            return trigger["type"]!.GetValue<string>() == "httpTrigger"
                ? new Documented(
                    name,
                    string.Join(", ", trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant())),
                    $"/{routePrefix}/{trigger["route"]!.GetValue<string>()}",
                    trigger["authLevel"]!.GetValue<string>().ToLowerInvariant())
                : new Documented(name, "timer", trigger["schedule"]!.GetValue<string>(), "-");
        })];
    }

    [Fact]
    public void EveryBuiltFunctionIsDocumentedWithItsRouteMethodsAndAuthorizationLevel()
    {
        var documented = ReadmeFunctions().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var built = BuiltFunctions().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        Assert.True(built.Count >= 13, $"{built.Count} functions built");
        Assert.Equal(built, documented);
    }

    [Theory]
    [InlineData("RecomputeAggregates", "%AggregatesSchedule%")]
    [InlineData("RecomputeAggregatesFull", "%AggregatesFullSchedule%")]
    public void TheAggregatesTimersTakeTheirScheduleFromAppSettings(string name, string schedule)
    {
        var function = JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray().Single(f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "timerTrigger")!;
        Assert.Equal(schedule, trigger["schedule"]!.GetValue<string>());
        Assert.NotEqual(true, trigger["runOnStartup"]?.GetValue<bool>());

        // Locally the setting comes from local.settings.json, as func start and the dev host read it.
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "src", "InnovationZones.Functions", "local.settings.json")))!["Values"]!;
        Assert.False(string.IsNullOrWhiteSpace(settings[schedule.Trim('%')]?.GetValue<string>()));
    }

    [Fact]
    public void ReadsAreAnonymousButTheExport() =>
        Assert.All(BuiltFunctions().Where(f => f.Methods == "GET"), f => Assert.Equal(f.Name == "Export" ? "function" : "anonymous", f.Auth));

    [Fact]
    public void HostJsonSetsTheRoutePrefixAndATimeout()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.NotNull(host["functionTimeout"]);
    }

    [GeneratedRegex(@"^\|\s*`(?<methods>[A-Z, ]+|timer)`\s*\|\s*`(?<route>[^`]+)`\s*\|\s*`(?<name>\w+)`\s*\|\s*(?<auth>[a-z-]+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The documentation's "Running with Azure Functions Core Tools" works as written: a full Azurite, the
/// data loaded by the dev host's --load-only, <c>func start</c> in the function app's folder (which builds
/// it), then the documented read, keyed write and recompute through the admin API, with curl. The only
/// change is the ports: a fresh Azurite and host of the test's own instead of the well-known ones.
/// </summary>
[Trait("Category", TestHost.RealHost)]
[Trait("Category", Tier.Host)]
public sealed partial class CoreToolsDocTests
{
    private const string Heading = "## Running with Azure Functions Core Tools";

    [RealHostFact]
    public async Task TheDocumentedStepsRunTheAppOnTheRealHost()
    {
        var (setup, calls) = DocumentedSteps();
        Assert.Equal(3, setup.Count);
        Assert.StartsWith("npm ci && npx azurite ", setup[0], StringComparison.Ordinal);
        Assert.Contains("--skipApiVersionCheck", setup[0], StringComparison.Ordinal);
        Assert.Equal("dotnet run --project src/InnovationZones.DevHost -- --load-only --no-azurite", setup[1]);
        Assert.Equal("cd src/InnovationZones.Functions && func start", setup[2]);

        var root = RepoRoot.Find();
        await using var azurite = await Azurite.StartFullAsync(root, TextWriter.Null, CancellationToken.None);
        var storage = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.FullConnectionString,
            ["Storage__ConnectionString"] = azurite.FullConnectionString,
        };

        var load = await Tool.RunAsync("bash", ["-c", setup[1]], storage.ToDictionary(s => s.Key, s => s.Value!), TimeSpan.FromMinutes(5));
        Assert.True(load.ExitCode == 0, load.Output + load.Error);
        Assert.Contains("Recomputed aggregates", load.Output, StringComparison.Ordinal);

        // func start in the project folder builds the app into bin/output, then hosts it.
        await using var host = await FunctionsHostProcess.StartAsync(
            TestHost.Func!, Path.Combine(root, "src", "InnovationZones.Functions"), storage, enableAuth: false, CancellationToken.None, TimeSpan.FromMinutes(6));
        var port = host.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);

        Assert.Equal(3, calls.Count);
        string[] expected = ["200", "201", "202"];
        for (var i = 0; i < calls.Count; i++)
        {
            var command = calls[i].Replace("localhost:7071", "127.0.0.1:" + port, StringComparison.Ordinal) + " -s -o /dev/null -w '%{http_code}'";
            var result = await Tool.RunAsync("bash", ["-c", command], timeout: TimeSpan.FromMinutes(1));
            Assert.True(result.Output == expected[i], $"{calls[i]}\nanswered {result.Output} {result.Error}\n{host.Output}");
        }

        // The recompute the admin API started shows up as a second run.
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var deadline = Stopwatch.StartNew();
        int runs;
        do
        {
            await Task.Delay(200);
            runs = JsonNode.Parse(await client.GetStringAsync("api/v1/stats/runs"))!["value"]!.AsArray().Count;
        }
        while (runs < 2 && deadline.Elapsed < TimeSpan.FromSeconds(60));
        Assert.Equal(2, runs);
        using var metric = await client.GetAsync("api/v1/cities/beijing/metrics/example-indicator/2024");
        Assert.Equal(HttpStatusCode.OK, metric.StatusCode);
    }

    /// <summary>The commands of the section's two bash blocks: the setup, then the calls (continued lines joined, comments dropped).</summary>
    private static (List<string> Setup, List<string> Calls) DocumentedSteps()
    {
        var root = RepoRoot.Find();
        var text = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Select(File.ReadAllText)
            .Single(t => t.Contains(Heading, StringComparison.Ordinal));
        var section = text[text.IndexOf(Heading, StringComparison.Ordinal)..];
        var next = section.IndexOf("\n## ", Heading.Length, StringComparison.Ordinal);
        section = next < 0 ? section : section[..next];
        var blocks = BashBlock().Matches(section).Select(m => Commands(m.Groups[1].Value)).ToList();
        Assert.True(blocks.Count >= 2, "The section has no two bash blocks.");
        return (blocks[0], blocks[1]);
    }

    private static List<string> Commands(string block) =>
        [.. Regex.Replace(block, @"\\\n\s*", " ").Split('\n')
            .Select(line => Comment().Replace(line, "").Trim().TrimEnd('&').Trim())
            .Where(line => line.Length > 0)];

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    // A comment: '#' after two spaces, outside the quoted JSON of the calls.
    [GeneratedRegex(@"\s{2,}#.*$")]
    private static partial Regex Comment();
}

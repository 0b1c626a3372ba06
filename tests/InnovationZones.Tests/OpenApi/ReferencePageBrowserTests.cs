using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;
using Xunit.Abstractions;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// <c>/api/docs</c> in headless Chromium (<c>tests/browser/reference-page.mjs</c>, puppeteer-core), against a
/// running host over a fresh copy of the Beijing data: no console errors and no request to another host;
/// the operations grouped by tag, in reading order; the first Send on "List zones" lists every zone; try-it
/// on "Get a zone" answers the zone; the example body of "Create or replace a zone" is accepted; a repeat
/// visit transfers under 10 KB. Screenshots and the page's weight and load time go to
/// <c>TestResults/browser/{host}/</c>. Skipped, saying why, where there is no Chromium or no puppeteer-core.
/// </summary>
[Trait("Category", Tier.Host)]
[Trait("Category", TestHost.EndToEnd)]
public sealed class ReferencePageBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync()
    {
        if (Browser.Missing is null)
        {
            server = await ApiServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [BrowserFact]
    public async Task AFirstTimeUserCanReadAndTryTheApi()
    {
        var folder = Path.Combine(RepoRoot.Find(), "TestResults", "browser", server.Host.ToString().ToLowerInvariant());
        var result = await Tool.RunAsync(
            "node",
            ["tests/browser/reference-page.mjs", server.Client.BaseAddress!.ToString(), folder, Browser.Path!],
            timeout: TimeSpan.FromMinutes(5));
        output.WriteLine(result.Output);
        output.WriteLine(result.Error);
        var summary = JsonNode.Parse(result.Output.Trim().Split('\n')[^1]);
        Assert.True(result.ExitCode == 0, $"reference-page.mjs exited {result.ExitCode}: {summary?["failures"]?.ToJsonString() ?? result.Error}");
        Assert.Empty(summary!["failures"]!.AsArray());
        Assert.True(summary["repeat"]!["bytes"]!.GetValue<long>() < 10 * 1024);
        Assert.True(File.Exists(Path.Combine(folder, "cold-1440.png")));
    }

    /// <summary>Where Chromium is, and whether the test can run.</summary>
    public static class Browser
    {
        public static readonly string? Path = new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

        /// <summary>Why the browser test cannot run here, or null when it can.</summary>
        public static readonly string? Missing =
            Path is null ? "No Chromium: install it (Debian: apt-get install chromium; .ci/run does under CI=true) or set CHROMIUM_PATH."
            : !Directory.Exists(System.IO.Path.Combine(RepoRoot.Find(), "node_modules", "puppeteer-core")) ? "No puppeteer-core: run npm ci."
            : null;
    }
}

/// <summary>A fact that needs a headless Chromium and puppeteer-core: skipped, saying what to install, where they are missing.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ReferencePageBrowserTests.Browser.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}

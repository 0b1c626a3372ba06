using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary><c>redocly lint</c> (npm @redocly/cli, rules in redocly.yaml) on the served document: no errors, no warnings.</summary>
[Trait("Category", Tier.Host)]
public sealed class RedoclyLintTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public async Task ServedDocumentPassesRedoclyLint(string format)
    {
        var root = RepoRoot.Find();
        var cli = Path.Combine(root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), "@redocly/cli is not installed: run `npm ci` at the repository root.");
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.{format}");
        await File.WriteAllTextAsync(file, await server.Api.Client.GetStringAsync($"api/openapi.{format}"));
        try
        {
            var (exitCode, output, error) = await LintAsync(file, "--format", "json");
            Assert.True(output.Contains('{', StringComparison.Ordinal), $"redocly lint wrote no report: {error}");
            var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
            var problems = report["problems"]!.AsArray();
            Assert.True(problems.Count == 0, "redocly lint:\n" + string.Join("\n", problems.Select(p => $"  {p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}")));
            Assert.Equal(0, exitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RedoclyLintFailsOnABrokenDocument()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        // A path parameter that no parameter describes.
        document["paths"]!["/v1/zones/{zoneId}"]!["get"]!["parameters"] = new JsonArray();
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document.ToJsonString());
        try
        {
            var result = await LintAsync(file);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("path-parameters-defined", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<Tool.Result> LintAsync(string file, params string[] options) =>
        Tool.RunAsync("node", [Path.Combine(RepoRoot.Find(), "node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", file, "--config", Path.Combine(RepoRoot.Find(), "redocly.yaml"), .. options],
            // No telemetry and no update check: CI reaches only the package registries.
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" });
}

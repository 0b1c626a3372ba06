using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// <c>spectral lint</c> (npm @stoplight/spectral-cli) with the OWASP API Security ruleset
/// (@stoplight/spectral-owasp-ruleset) on the served document: no finding of any severity. The rules the API
/// does not follow are switched off in .spectral.yaml, each with its reason.
/// </summary>
[Trait("Category", Tier.Host)]
public sealed class SpectralOwaspLintTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    [Fact]
    public async Task ServedDocumentPassesTheOwaspRuleset()
    {
        var findings = await LintAsync(JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!);
        Assert.True(findings.Count == 0, "spectral lint (OWASP):\n" + string.Join("\n", findings));
    }

    [Fact]
    public async Task TheRulesetFindsAKeyOrACredentialInTheUrl()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        document["components"]!["securitySchemes"]!["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" };
        document["paths"]!["/v1/zones/{zoneId}"]!["put"]!["security"]!.AsArray().Add(new JsonObject { ["functionKeyQuery"] = new JsonArray() });

        document["paths"]!["/v1/zones"]!["get"]!["parameters"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "apiKey", ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 40, ["pattern"] = "^[a-z]+$" },
        });

        var findings = await LintAsync(document);

        Assert.Contains(findings, f => f.StartsWith("owasp:api2:2023-no-api-keys-in-url ", StringComparison.Ordinal));
        // The rule that exempts the paging cursor by name still finds a credential by name.
        Assert.Contains(findings, f => f.StartsWith("no-credentials-in-url-but-the-paging-cursor ", StringComparison.Ordinal) && f.EndsWith("apiKey.", StringComparison.Ordinal));
    }

    /// <summary>Each finding as "rule at path: message".</summary>
    private static async Task<List<string>> LintAsync(JsonNode document)
    {
        var root = RepoRoot.Find();
        var cli = Path.Combine(root, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
        Assert.True(File.Exists(cli), "@stoplight/spectral-cli is not installed: run `npm ci` at the repository root.");
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document.ToJsonString());
        try
        {
            var result = await Tool.RunAsync("node", [cli, "lint", file, "--ruleset", Path.Combine(root, ".spectral.yaml"), "--format", "json", "--quiet"],
                new Dictionary<string, string> { ["NO_COLOR"] = "1" });
            var start = result.Output.IndexOf('[', StringComparison.Ordinal);
            Assert.True(start >= 0, $"spectral wrote no report (exit {result.ExitCode}): {result.Output} {result.Error}");
            return [.. JsonNode.Parse(result.Output[start..])!.AsArray()
                .Select(f => $"{f!["code"]} at {string.Join('/', f["path"]!.AsArray().Select(p => p!.ToString()))}: {f["message"]}")];
        }
        finally
        {
            File.Delete(file);
        }
    }
}

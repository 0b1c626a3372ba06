using System.Text.Json.Nodes;
using InnovationZones.Tests.Functions;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>The served OpenAPI document against the built functions.metadata, and against its committed snapshot.</summary>
[Trait("Category", Tier.Host)]
public sealed partial class OpenApiDocumentTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    /// <summary>Set to 1 to write the served document to docs/openapi.json instead of comparing (see README, "API reference").</summary>
    public const string UpdateSnapshotVariable = "OPENAPI_UPDATE_SNAPSHOT";

    public static string SnapshotPath => Path.Combine(RepoRoot.Find(), "docs", "openapi.json");

    [Fact]
    public async Task ServedDocumentEqualsTheSnapshot()
    {
        var served = await server.Api.Client.GetStringAsync("api/openapi.json");
        if (Environment.GetEnvironmentVariable(UpdateSnapshotVariable) == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, served);
        }

        Assert.True(File.Exists(SnapshotPath), $"No snapshot: run `{UpdateSnapshotVariable}=1 dotnet test --filter {nameof(ServedDocumentEqualsTheSnapshot)}`.");
        var snapshot = await File.ReadAllTextAsync(SnapshotPath);
        Assert.True(snapshot == served,
            "docs/openapi.json differs from the served document: run `bash scripts/refresh-openapi` and commit the snapshot and the client.");
    }

    [Fact]
    public async Task EveryKeyProtectedOperationDocumentsTheHostsEmpty401AndNoAnonymousOneDoes()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        var keyed = FunctionMetadataTests.BuiltHttpFunctions().Where(f => f.Auth == "function").Select(f => f.Name).ToHashSet();
        Assert.Equal(17, keyed.Count);
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => HttpMethods.Contains(o.Key)).Select(o => o.Value!.AsObject()))
            .ToList();
        foreach (var operation in operations)
        {
            var documents401 = operation["responses"]!.AsObject().ContainsKey("401");
            Assert.True(documents401 == keyed.Contains(operation["operationId"]!.GetValue<string>()), operation["operationId"]!.GetValue<string>());
        }

        var unauthorized = document["components"]!["responses"]!["Unauthorized"]!.AsObject();
        Assert.False(unauthorized.ContainsKey("content"));
        Assert.Contains("empty body", unauthorized["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOperationButHealthDocumentsTheRateLimited429WithItsHeaders()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => HttpMethods.Contains(o.Key)).Select(o => (Path: path.Key, Operation: o.Value!.AsObject())))
            .ToList();
        Assert.NotEmpty(operations);
        foreach (var (path, operation) in operations)
        {
            var limited = operation["responses"]!["429"]?["$ref"]?.GetValue<string>();
            Assert.True(path == "/health" ? limited is null : limited == "#/components/responses/RateLimited", path + " " + operation["operationId"]);
        }

        var rateLimited = document["components"]!["responses"]!["RateLimited"]!;
        Assert.Equal(["Retry-After", "RateLimit-Policy", "RateLimit"], rateLimited["headers"]!.AsObject().Select(h => h.Key));
        Assert.Equal("RateLimited", rateLimited["content"]!["application/problem+json"]!["examples"]!["RateLimited"]!["value"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryHttpFunctionIsInTheDocumentWithItsRouteAndMethodsAndNothingElse()
    {
        var document = JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        var serverUrl = document["servers"]![0]!["url"]!.GetValue<string>();
        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(operation => HttpMethods.Contains(operation.Key))
                .Select(operation => (Route: serverUrl + path.Key, Method: operation.Key.ToUpperInvariant(), Name: operation.Value!["operationId"]!.GetValue<string>())))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();

        // The catch-all {*path} is not an endpoint: it is the 404 answer wherever there is none. In the
        // document a path that is not listed is already one that does not exist, and listing the
        // catch-all would claim that every path does.
        var built = FunctionMetadataTests.BuiltHttpFunctions()
            .Where(f => f.Name != "RouteNotFound")
            .SelectMany(f => f.Methods.Split(", ").Select(m => (Route: CatchAll().Replace(f.Route, "{$1}"), Method: m, f.Name)))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();

        Assert.True(built.Count >= 16, $"{built.Count} HTTP functions built");
        Assert.Equal(built, documented);
    }

    private static readonly HashSet<string> HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\*(\w+)\}")]
    private static partial System.Text.RegularExpressions.Regex CatchAll();
}

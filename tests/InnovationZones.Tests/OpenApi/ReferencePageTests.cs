using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>GET api/docs: the Scalar reference page, with everything it loads served by the app itself.</summary>
[Trait("Category", Tier.Host)]
public sealed partial class ReferencePageTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    [Fact]
    public async Task PageLoadsOnlyFromThisServerAndReadsThisApisDocument()
    {
        using var response = await server.Api.Client.GetAsync("api/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotMatch(ExternalUrl(), html);
        Assert.Contains("data-document=\"/api/openapi.json\"", html, StringComparison.Ordinal);
        // Try-it-out calls this API directly: Scalar's default would send requests through its own proxy.
        Assert.Contains("proxyUrl: ''", html, StringComparison.Ordinal);
        var sources = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains("/api/docs/scalar.js", sources);
        Assert.All(sources, url => Assert.StartsWith("/api/", url, StringComparison.Ordinal));

        foreach (var url in sources)
        {
            using var asset = await server.Api.Client.GetAsync(url.TrimStart('/'));
            Assert.True(asset.IsSuccessStatusCode, $"{url}: {(int)asset.StatusCode}");
        }
    }

    [Fact]
    public async Task ScriptIsScalarsStandaloneBundle_GzippedWhenAccepted()
    {
        using var plain = await server.Api.Client.GetAsync("api/docs/scalar.js");
        var script = await plain.Content.ReadAsStringAsync();
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("createApiReference", script, StringComparison.Ordinal);
        Assert.True(script.Length > 1_000_000, $"{script.Length} characters");

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/docs/scalar.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzipped = await server.Api.Client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        await using var unzip = new GZipStream(await gzipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        Assert.Equal(script, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task UnknownAssetIsAProblem() =>
        await HttpAssert.ProblemAsync(await server.Api.Client.GetAsync("api/docs/evil.js"), 404, "RouteNotFound");

    [Fact]
    public async Task DocumentServesTryItOutAgainstThisServer()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await server.Api.Client.GetStringAsync("api/openapi.json"))!;
        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());
        Assert.Equal("/api", document["servers"]![0]!["url"]!.GetValue<string>());

        var yaml = await server.Api.Client.GetStringAsync("api/openapi.yaml");
        Assert.StartsWith("openapi: '3.1.1'\n", yaml, StringComparison.Ordinal);
        foreach (var path in document["paths"]!.AsObject())
        {
            Assert.Matches($"(?m)^  '?{System.Text.RegularExpressions.Regex.Escape(path.Key)}'?:$", yaml);
        }
    }

    /// <summary>An absolute URL anywhere in the page (a CDN, fonts, analytics): http(s) or protocol-relative.</summary>
    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex("(?:src|href|data-document)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Reference();
}

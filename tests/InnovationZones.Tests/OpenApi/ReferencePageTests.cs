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
        Assert.Contains(sources, url => url.StartsWith("/api/docs/scalar.js?v=", StringComparison.Ordinal));
        // The document is fetched beside the script, not only once the script has run.
        Assert.Contains("<link rel=\"preload\" href=\"/api/openapi.json\" as=\"fetch\" crossorigin>", html, StringComparison.Ordinal);
        Assert.Contains("hideClientButton: true", html, StringComparison.Ordinal);
        Assert.All(sources, url => Assert.StartsWith("/api/", url, StringComparison.Ordinal));

        foreach (var url in sources)
        {
            using var asset = await server.Api.Client.GetAsync(url.Replace("&amp;", "&", StringComparison.Ordinal).TrimStart('/'));
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
    public async Task ScriptIsBrotliWhenAccepted()
    {
        using var plain = await server.Api.Client.GetAsync("api/docs/scalar.js");
        var script = await plain.Content.ReadAsByteArrayAsync();
        // The script's Brotli is made off the first request that asks for it; gzip answers until then.
        HttpResponseMessage compressed;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/docs/scalar.js");
            request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
            compressed = await server.Api.Client.SendAsync(request);
            var encoding = Assert.Single(compressed.Content.Headers.ContentEncoding);
            if (encoding == "br" || DateTime.UtcNow > deadline)
            {
                break;
            }

            Assert.Equal("gzip", encoding);
            compressed.Dispose();
            await Task.Delay(500);
        }

        using var _ = compressed;
        Assert.Equal("br", Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        var bytes = await compressed.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < 1_500_000, $"{bytes.Length} bytes");
        await using var unbrotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        await unbrotli.CopyToAsync(output);
        Assert.Equal(script, output.ToArray());
    }

    /// <summary>The page links its files with their version: cached for a year, fetched again only when they change.</summary>
    [Fact]
    public async Task VersionedFilesAreImmutable_OthersRevalidate()
    {
        var html = await server.Api.Client.GetStringAsync("api/docs");
        foreach (var url in Reference().Matches(html).Select(m => m.Groups["url"].Value).Where(u => u.Contains("?v=", StringComparison.Ordinal)).Distinct())
        {
            using var versioned = await server.Api.Client.GetAsync(url.TrimStart('/'));
            Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());
            Assert.NotNull(versioned.Headers.ETag);
            var unversioned = url[..url.IndexOf('?', StringComparison.Ordinal)].TrimStart('/');
            using var plain = await server.Api.Client.GetAsync(unversioned);
            Assert.Equal("public, no-cache", plain.Headers.CacheControl?.ToString());
            using var stale = await server.Api.Client.GetAsync(unversioned + "?v=old");
            Assert.Equal("public, no-cache", stale.Headers.CacheControl?.ToString());
            using var again = new HttpRequestMessage(HttpMethod.Get, unversioned);
            again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
            using var notModified = await server.Api.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    /// <summary>The document and the page send an ETag and answer If-None-Match with 304 and no body.</summary>
    [Theory]
    [InlineData("api/openapi.json", "application/json")]
    [InlineData("api/openapi.yaml", "text/yaml")]
    [InlineData("api/docs", "text/html")]
    public async Task DocumentAndPageAnswer304ToTheirETag(string path, string mediaType)
    {
        using var first = await server.Api.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, no-cache", first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag ?? throw new InvalidOperationException($"{path}: no ETag");

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await server.Api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
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

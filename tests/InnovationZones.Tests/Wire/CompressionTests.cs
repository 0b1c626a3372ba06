using System.IO.Compression;
using System.Net;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Wire;

/// <summary>
/// Responses compressed by <c>Accept-Encoding</c> (Brotli, else gzip) with <c>Vary: Accept-Encoding</c>; the
/// same bytes once decompressed; ETags and 304 as without compression.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class CompressionTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    private ApiServer Api => server.Api;

    public static TheoryData<string, string?, string, string> Cases() => new()
    {
        { "api/v1/organizations", null, "gzip", "gzip" },
        { "api/v1/organizations", null, "gzip, deflate, br", "br" },
        { "api/v1/zones", "text/csv", "br", "br" },
        { "api/v1/zones/zhongguancun-science-city", null, "br;q=0.5, gzip", "gzip" },
        { "api/v1/zones/atlantis", null, "gzip", "gzip" },
        { "api/openapi.json", null, "br", "br" },
        { "api/openapi.yaml", null, "gzip", "gzip" },
        { "api/docs", null, "br", "br" },
        { "api/problems/ZoneNotFound", null, "gzip", "gzip" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CompressedWhenAskedTheSameBytesOnceDecompressed(string path, string? accept, string acceptEncoding, string expected)
    {
        using var plain = await Api.Client.SendAsync(Request(path, accept, null));
        var identity = await plain.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        using var compressed = await Api.Client.SendAsync(Request(path, accept, acceptEncoding));
        Assert.Equal(plain.StatusCode, compressed.StatusCode);
        Assert.Equal(expected, Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.Equal(plain.Content.Headers.ContentType, compressed.Content.Headers.ContentType);
        var bytes = await compressed.Content.ReadAsByteArrayAsync();
        // A problem carries its own request's trace id.
        static string Text(byte[] b) => System.Text.RegularExpressions.Regex.Replace(System.Text.Encoding.UTF8.GetString(b), "\"traceId\":\"[^\"]*\"", "");
        Assert.Equal(Text(identity), Text(Decompress(bytes, expected)));
        if (identity.Length > 10_000)
        {
            Assert.True(bytes.Length < identity.Length / 3, $"{path}: {bytes.Length} of {identity.Length} bytes");
        }
    }

    /// <summary>A compressed 200's tag is weak (its bytes are not the identity's); either tag gets a 304, compressed or not.</summary>
    [Theory]
    [InlineData("api/v1/organizations")]
    [InlineData("api/v1/zones/zhongguancun-science-city")]
    [InlineData("api/openapi.json")]
    [InlineData("api/docs")]
    public async Task ETagsAndNotModifiedWorkOnCompressedResponses(string path)
    {
        using var plain = await Api.Client.SendAsync(Request(path, null, null));
        using var compressed = await Api.Client.SendAsync(Request(path, null, "gzip, br"));
        var identityTag = plain.Headers.ETag!;
        var compressedTag = compressed.Headers.ETag!;
        Assert.True(compressedTag.IsWeak, $"{path}: {compressedTag}");
        Assert.Equal(identityTag.Tag, compressedTag.Tag);

        foreach (var (tag, encoding) in new[] { (compressedTag, "gzip, br"), (identityTag, "gzip, br"), (compressedTag, null) })
        {
            using var request = Request(path, null, encoding);
            request.Headers.IfNoneMatch.Add(tag);
            using var notModified = await Api.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
    }

    private static HttpRequestMessage Request(string path, string? accept, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return request;
    }

    private static byte[] Decompress(byte[] bytes, string encoding)
    {
        using Stream decoder = encoding == "br"
            ? new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}

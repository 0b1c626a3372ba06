using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.OpenApi;

/// <summary>
/// A response of the reference: the document, the page, an explanation of a problem, a file of the page. It
/// sends its <c>ETag</c> (a hash of its bytes) and <c>Cache-Control</c>, and answers <c>If-None-Match</c> with
/// 304 and no body. A body already compressed (a file of the page, as the package ships it) says its
/// <c>Content-Encoding</c>; anything else is left to the response compression.
/// </summary>
public sealed class DocsResponse(byte[] body, string contentType, string etag, string cacheControl, string? contentEncoding = null) : IResult
{
    /// <summary>Revalidate every time: a 304 is a few hundred bytes, and a new deployment shows at once.</summary>
    public const string Revalidate = "public, no-cache";

    /// <summary>A versioned file: its URL changes whenever its bytes do.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    public string ETag { get; } = etag;

    public string CacheControl { get; } = cacheControl;

    public static DocsResponse Text(string text, string contentType, string cacheControl = Revalidate)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new DocsResponse(bytes, contentType, Tag(bytes), cacheControl);
    }

    /// <summary>A strong entity tag: the first 18 bytes of the SHA-256 of <paramref name="bytes"/>, base64url.</summary>
    public static string Tag(ReadOnlySpan<byte> bytes) => "\"" + Hash(bytes, 18) + "\"";

    /// <summary>A short hash for a versioned URL.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes, int length = 9) => Base64Url.EncodeToString(SHA256.HashData(bytes).AsSpan(0, length));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.Headers.ETag = ETag;
        response.Headers.CacheControl = CacheControl;
        // The API's one strict reading of If-None-Match (a malformed header was already a 400 at the query check).
        if (EntityTags.IfNoneMatch(request) is { } tags
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(EntityTagHeaderValue.Parse(ETag), useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        if (contentEncoding is not null)
        {
            response.Headers.ContentEncoding = contentEncoding;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}

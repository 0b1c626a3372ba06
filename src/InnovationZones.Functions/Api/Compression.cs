using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.Api;

/// <summary>
/// Responses compressed by <c>Accept-Encoding</c>: Brotli, else gzip, with ASP.NET Core's response compression
/// middleware, in the app's own pipeline, so the dev host and the Functions host answer alike. JSON, problems,
/// CSV, the document and the reference page are compressed; a file of the reference page comes compressed
/// already (<c>OpenApi/ReferencePage</c>) and is left as it is.
/// <list type="bullet">
/// <item>Every response of a compressible type sends <c>Vary: Accept-Encoding</c>, also when the request
/// accepted no encoding, so that a shared cache (Front Door) never serves one encoding to a caller that asked for another.</item>
/// <item>A compressed response's <c>ETag</c> is made weak (<c>W/"..."</c>): the compressed bytes are not the
/// bytes the strong tag names (RFC 9110 §8.8.3.3). <c>If-None-Match</c> compares weakly, so the tag still gets its 304.</item>
/// </list>
/// Compression over HTTPS is on: no response carries a secret beside text a caller chose (BREACH), the
/// function key is never echoed.
/// </summary>
public static class Compression
{
    /// <summary>The media types compressed: what the API answers, save the files that come compressed.</summary>
    public static readonly IReadOnlyList<string> MimeTypes =
    [
        MediaTypes.Json, "application/problem+json", MediaTypes.Csv, "text/html", "text/yaml", "text/javascript", "image/svg+xml",
    ];

    public static IServiceCollection AddCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = MimeTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        // Brotli's quality 4 and gzip's fastest: a 1,000-item page in a few milliseconds (docs/benchmarks.md).
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static IApplicationBuilder UseCompression(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                if (response.Headers.ContentEncoding.Count > 0 && response.Headers.ETag is [{ } etag] && !etag.StartsWith("W/", StringComparison.Ordinal))
                {
                    response.Headers.ETag = "W/" + etag;
                }

                if (IsCompressible(response.ContentType)
                    && !response.Headers.Vary.Any(v => v?.Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase) == true))
                {
                    response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app.UseResponseCompression();
    }

    private static bool IsCompressible(string? contentType) =>
        contentType is not null && MimeTypes.Any(m => contentType.StartsWith(m, StringComparison.OrdinalIgnoreCase)
            && (contentType.Length == m.Length || contentType[m.Length] is ';' or ' '));
}

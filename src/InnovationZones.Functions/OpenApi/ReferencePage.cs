using System.Collections.Frozen;
using System.IO.Compression;
using System.Net;

namespace InnovationZones.OpenApi;

/// <summary>
/// The reference page (Scalar): its script ships inside the app, embedded in the Scalar.AspNetCore
/// package's assembly, and is served from here, so the page loads nothing from elsewhere. The page
/// reads the document from the same API and tries requests against it.
/// </summary>
public static class ReferencePage
{
    private const string ResourcePrefix = "ScalarStaticAssets.";

    /// <summary>The media type of the page's script.</summary>
    public const string Script = "text/javascript";

    /// <summary>The media type of the page's icon.</summary>
    public const string Icon = "image/svg+xml";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        ["scalar.js"] = Script + "; charset=utf-8",
        ["favicon.svg"] = Icon,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Lazy<byte[]>> Compressed = ContentTypes.Keys.ToFrozenDictionary(
        name => name, name => new Lazy<byte[]>(() => Read(name)), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Lazy<byte[]>> Decompressed = ContentTypes.Keys.ToFrozenDictionary(
        name => name, name => new Lazy<byte[]>(() => Decompress(Compressed[name].Value)), StringComparer.Ordinal);

    /// <summary>Brotli of each asset, made once, off the request for a large one: until it is ready, gzip is sent.</summary>
    private static readonly FrozenDictionary<string, Lazy<Task<byte[]>>> Brotli = ContentTypes.Keys.ToFrozenDictionary(
        name => name,
        name => new Lazy<Task<byte[]>>(() => Compressed[name].Value.Length < 64 * 1024
            ? Task.FromResult(CompressBrotli(Decompressed[name].Value))
            : Task.Run(() => CompressBrotli(Decompressed[name].Value))),
        StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Lazy<string>> Versions = ContentTypes.Keys.ToFrozenDictionary(
        name => name, name => new Lazy<string>(() => DocsResponse.Hash(Compressed[name].Value)), StringComparer.Ordinal);

    /// <summary>The query parameter that versions an asset's URL: with the current version, the file may be cached for a year.</summary>
    public const string VersionParameter = "v";

    public static IReadOnlyCollection<string> Assets => ContentTypes.Keys;

    /// <summary>
    /// The asset's bytes in the best encoding <paramref name="acceptEncoding"/> allows (Brotli once it is made,
    /// else gzip as the package ships it, else plain), that encoding (null for plain), and its media type.
    /// </summary>
    public static (byte[] Content, string? Encoding, string ContentType)? Asset(string name, string acceptEncoding)
    {
        if (!ContentTypes.TryGetValue(name, out var contentType))
        {
            return null;
        }

        var accepted = ContentCodings(acceptEncoding);
        return accepted.Contains("br") && Brotli[name].Value is { IsCompletedSuccessfully: true } brotli ? (brotli.Result, "br", contentType)
            : accepted.Contains("gzip") ? (Compressed[name].Value, "gzip", contentType)
            : (Decompressed[name].Value, null, contentType);
    }

    /// <summary>The asset's version: a hash of its bytes, which its URL on the page carries.</summary>
    public static string Version(string name) => Versions[name].Value;

    /// <summary>The asset's entity tag in an encoding: one per representation.</summary>
    public static string ETag(string name, string? encoding) => "\"" + Version(name) + (encoding is null ? "" : "-" + encoding) + "\"";

    /// <summary>The page, for a request to <paramref name="pagePath"/> (such as <c>/api/docs</c>): every URL in it is on this server.</summary>
    public static string Html(string pagePath)
    {
        var page = pagePath.TrimEnd('/');
        var root = page[..(page.LastIndexOf('/') + 1)];
        var document = WebUtility.HtmlEncode(root + "openapi.json");
        var assets = page + "/";
        var script = WebUtility.HtmlEncode($"{assets}scalar.js?{VersionParameter}={Version("scalar.js")}");
        var icon = WebUtility.HtmlEncode($"{assets}favicon.svg?{VersionParameter}={Version("favicon.svg")}");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{ApiDocument.Title}} reference</title>
              <link rel="icon" type="image/svg+xml" href="{{icon}}">
              <link rel="preload" href="{{document}}" as="fetch" crossorigin>
              <link rel="preload" href="{{script}}" as="script">
            </head>
            <body>
              <div id="app" data-document="{{document}}"></div>
              <script src="{{script}}"></script>
              <script>
                const app = document.getElementById('app');
                // Nothing leaves this server: no proxy for try-it-out, no web fonts, no telemetry, no cloud tools,
                // no button that opens the client elsewhere.
                Scalar.createApiReference(app, {
                  url: app.dataset.document,
                  proxyUrl: '',
                  withDefaultFonts: false,
                  telemetry: false,
                  showDeveloperTools: 'never',
                  agent: { disabled: true },
                  hideClientButton: true,
                  defaultOpenAllTags: true,
                });
              </script>
            </body>
            </html>

            """;
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The Scalar.AspNetCore package no longer embeds {name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The content codings an <c>Accept-Encoding</c> allows (q above 0), lowercase.</summary>
    private static HashSet<string> ContentCodings(string acceptEncoding)
    {
        var codings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(';', StringSplitOptions.TrimEntries);
            var q = parts.Skip(1).Select(p => p.Replace(" ", "", StringComparison.Ordinal)).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            if (q is null || !double.TryParse(q[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) || weight > 0)
            {
                codings.Add(parts[0].ToLowerInvariant());
            }
        }

        return codings;
    }

    private static byte[] CompressBrotli(byte[] plain)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(plain.Length)];
        return BrotliEncoder.TryCompress(plain, buffer, out var written, quality: 9, window: 22)
            ? buffer[..written]
            : throw new InvalidOperationException("Brotli could not compress a file of the reference page.");
    }

    private static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

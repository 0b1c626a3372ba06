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

    public static IReadOnlyCollection<string> Assets => ContentTypes.Keys;

    /// <summary>The asset's bytes, gzip-compressed as the package ships them or plain, and its media type.</summary>
    public static (byte[] Content, string ContentType)? Asset(string name, bool gzip) =>
        ContentTypes.TryGetValue(name, out var contentType)
            ? ((gzip ? Compressed : Decompressed)[name].Value, contentType)
            : null;

    /// <summary>The page, for a request to <paramref name="pagePath"/> (such as <c>/api/docs</c>): every URL in it is on this server.</summary>
    public static string Html(string pagePath)
    {
        var page = pagePath.TrimEnd('/');
        var root = page[..(page.LastIndexOf('/') + 1)];
        var document = WebUtility.HtmlEncode(root + "openapi.json");
        var assets = WebUtility.HtmlEncode(page + "/");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{ApiDocument.Title}} reference</title>
              <link rel="icon" type="image/svg+xml" href="{{assets}}favicon.svg">
            </head>
            <body>
              <div id="app" data-document="{{document}}"></div>
              <script src="{{assets}}scalar.js"></script>
              <script>
                const app = document.getElementById('app');
                // Nothing leaves this server: no proxy for try-it-out, no web fonts, no telemetry, no cloud tools.
                Scalar.createApiReference(app, {
                  url: app.dataset.document,
                  proxyUrl: '',
                  withDefaultFonts: false,
                  telemetry: false,
                  showDeveloperTools: 'never',
                  agent: { disabled: true },
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

    private static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

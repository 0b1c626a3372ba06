using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.Api;

/// <summary>
/// Reading a write's body the same way for every write: its content type (415 otherwise), its size
/// (413 past the cap, checked while reading, whatever Content-Length claims), JSON syntax (400
/// MalformedJson, with line and position) and its shape (400 InvalidBody, every error by JSON path).
/// </summary>
public static class RequestBody
{
    /// <summary>The request's media type, one of <paramref name="accepted"/>; charset, if given, must be UTF-8.</summary>
    public static string RequireContentType(HttpRequest request, params string[] accepted)
    {
        var expected = string.Join(" or ", accepted);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            throw Problems.UnsupportedMediaType($"Send the body as {expected} (Content-Type is missing or malformed).");
        }

        var mediaType = contentType.MediaType.Value ?? "";
        var match = accepted.FirstOrDefault(a => string.Equals(a, mediaType, StringComparison.OrdinalIgnoreCase))
            ?? throw Problems.UnsupportedMediaType($"This endpoint takes {expected}, not {mediaType}.");
        if (contentType.Charset.HasValue && !string.Equals(contentType.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw Problems.UnsupportedMediaType($"The body must be UTF-8, not {contentType.Charset.Value}.");
        }

        return match;
    }

    /// <summary>A JSON body of <paramref name="mediaType"/>: content type, size cap, then strict parsing.</summary>
    public static async Task<JsonNode> ReadJsonAsync(HttpRequest request, string mediaType, long maxBytes, CancellationToken cancellationToken)
    {
        RequireContentType(request, mediaType);
        return ParseJson(await ReadAsync(request, maxBytes, cancellationToken));
    }

    /// <summary>Reads the whole body, at most <paramref name="maxBytes"/>: a longer one is a 413 however it is sent.</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw Problems.PayloadTooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw Problems.PayloadTooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses JSON strictly (no comments, trailing commas or duplicate names; depth at most 32).</summary>
    public static JsonNode ParseJson(ReadOnlySpan<byte> body)
    {
        var node = JsonShape.TryParse(body, out var error);
        return error is not null
            ? throw Problems.MalformedJson(error)
            : node ?? throw Problems.InvalidBody(new Dictionary<string, string[]> { ["$"] = ["The body is null; send an object."] });
    }

    /// <summary>
    /// Checks <paramref name="node"/> against <typeparamref name="T"/>'s shape, then reads it. Every
    /// error is reported at once, keyed by JSON path. <paramref name="patch"/> checks a merge patch:
    /// fields may be left out and nulls remove them.
    /// </summary>
    public static T Read<T>(JsonNode node)
    {
        var errors = JsonShape.Check(node, typeof(T), patch: false);
        ThrowIfAny(errors);
        try
        {
            return node.Deserialize<T>(ApiJson.Options) ?? throw Problems.InvalidBody(new Dictionary<string, string[]> { ["$"] = ["Expected an object."] });
        }
        catch (JsonException e)
        {
            // The shape check catches what the serializer would refuse; this is the backstop.
            throw Problems.InvalidBody(new Dictionary<string, string[]> { [e.Path ?? "$"] = ["The value cannot be read."] });
        }
    }

    public static void ThrowIfAny(IReadOnlyList<JsonShape.FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw Problems.InvalidBody(errors.Select(e => (e.Path, e.Message)));
        }
    }
}

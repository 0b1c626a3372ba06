using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using InnovationZones.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.Api;

/// <summary>
/// The one way a GET answers 200: the body's bytes in the negotiated media type, with the validators and
/// the cache policy that go with them (<c>ETag</c>, <c>Last-Modified</c> where known, <c>Cache-Control</c>,
/// <c>Vary: Accept</c> where CSV is offered, <c>Link: rel="next"</c> for a list that goes on); or 304 with
/// no body when the caller's copy is current (<c>If-None-Match</c>, weak comparison, <c>*</c> included;
/// else <c>If-Modified-Since</c>, RFC 9110 §13.2.2). Built inside the function, after the one storage
/// read that it needs, so a 406 or a 304 never costs another; executing it writes and never throws.
/// The media type is negotiated once, before the read (<see cref="ContentNegotiation.Choose"/>). How a GET
/// opts in: one entity through <see cref="Responses.EntityAsync{T}"/>; a list through
/// <see cref="Paging.ReadPageAsync{T}"/>; anything else table-shaped (stats) returns <see cref="ForTable{TRow}"/>.
/// </summary>
public sealed class Representation : IResult
{
    private readonly byte[] body;

    private Representation(byte[] body, string mediaType, EntityTagHeaderValue etag, CachePolicy cache, DateTimeOffset? lastModified, bool negotiated, string? nextLink)
    {
        this.body = body;
        ContentType = mediaType + "; charset=utf-8";
        ETag = etag;
        Cache = cache;
        LastModified = lastModified is { } modified ? TruncateToSeconds(modified) : null;
        Negotiated = negotiated;
        NextLink = nextLink;
    }

    public string ContentType { get; }

    public EntityTagHeaderValue ETag { get; }

    public CachePolicy Cache { get; }

    /// <summary>HTTP dates have whole seconds: the stored timestamp, rounded down.</summary>
    public DateTimeOffset? LastModified { get; }

    /// <summary>Whether the body's media type came from <c>Accept</c> (JSON or CSV), so caches must vary on it.</summary>
    public bool Negotiated { get; }

    public string? NextLink { get; }

    public ReadOnlyMemory<byte> Body => body;

    /// <summary>
    /// One stored entity as JSON: its ETag is the entity's own (Table Storage's), its Last-Modified the
    /// entity's Timestamp. Entities are JSON only: a 406 for anything else is decided before the read.
    /// </summary>
    public static Representation ForEntity<T>(T value, ETag etag, DateTimeOffset? lastModified, CachePolicy cache)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);
        var tag = EntityTagHeaderValue.TryParse(etag.ToString("H"), out var parsed) ? parsed : HashTag("entity", bytes);
        return new Representation(bytes, MediaTypes.Json, tag, cache, lastModified, negotiated: false, nextLink: null);
    }

    /// <summary>
    /// A page of a list as JSON (<c>{"value": [...], "nextLink": ...}</c>) or CSV (the items; the next page
    /// only in the Link header). Its ETag is a strong hash of the bytes sent and of <paramref name="query"/>
    /// (the list's table and filter), so a tag matches only a page of the same query with the same bytes.
    /// </summary>
    public static Representation ForList<T>(string mediaType, ListResponse<T> list, string query, CachePolicy cache)
    {
        ArgumentNullException.ThrowIfNull(list);
        var bytes = mediaType == MediaTypes.Csv
            ? CsvTable.Write(list.Value)
            : JsonSerializer.SerializeToUtf8Bytes(list, ApiJson.Options);
        return new Representation(bytes, mediaType, HashTag(query, bytes), cache, lastModified: null, negotiated: true, list.NextLink);
    }

    /// <summary>
    /// Any other table-shaped resource (a stats result, say): <paramref name="json"/> as JSON, or
    /// <paramref name="rows"/> as CSV. With a <paramref name="version"/> (an aggregate's run id) the ETag
    /// is that version as it is (<c>"run-42"</c> for JSON, <c>"run-42.csv"</c> for CSV: each representation
    /// has its own), or its hash when it has characters an entity tag cannot hold; without one, a hash of the bytes.
    /// </summary>
    public static Representation ForTable<TRow>(
        HttpRequest request,
        string mediaType,
        object json,
        IReadOnlyList<TRow> rows,
        CachePolicy cache,
        string? version = null,
        DateTimeOffset? lastModified = null,
        string? nextLink = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(request);
        var csv = mediaType == MediaTypes.Csv;
        var bytes = csv ? CsvTable.Write(rows) : JsonSerializer.SerializeToUtf8Bytes(json, json.GetType(), ApiJson.Options);
        var tag = version is null ? HashTag(request.Path, bytes) : VersionTag(version, csv);
        return new Representation(bytes, mediaType, tag, cache, lastModified, negotiated: true, nextLink);
    }

    /// <summary>
    /// Whether the caller's copy is current. <c>If-None-Match</c> decides when present (weak comparison,
    /// as for GET; <c>*</c> matches any current representation); only without it does
    /// <c>If-Modified-Since</c> count, and only where Last-Modified is known.
    /// </summary>
    public bool IsNotModified(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.GetTypedHeaders();
        if (EntityTags.IfNoneMatch(request) is { } tags)
        {
            return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false));
        }

        return LastModified is { } modified
            && request.Headers.IfModifiedSince.Count == 1
            && headers.IfModifiedSince is { } since
            && modified <= since;
    }

    /// <summary>
    /// Whether <c>If-None-Match</c> names this representation's own tag (not merely <c>*</c>): proof that
    /// this very representation was sent before, so checks that passed then need not run again.
    /// </summary>
    public bool IsTagKnownTo(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EntityTags.IfNoneMatch(request) is { } tags
            && tags.Any(tag => !tag.Equals(EntityTagHeaderValue.Any) && tag.Compare(ETag, useStrongComparison: false));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = ETag;
        response.Headers.CacheControl = Cache.CacheControl;
        if (LastModified is { } modified)
        {
            headers.LastModified = modified;
        }

        if (Negotiated)
        {
            response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        }

        if (IsNotModified(httpContext.Request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        if (NextLink is not null)
        {
            response.Headers.Link = "<" + NextLink + ">; rel=\"next\"";
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private static EntityTagHeaderValue VersionTag(string version, bool csv)
    {
        var tag = version + (csv ? ".csv" : "");
        return tag.Length is > 0 and <= 200 && tag.All(c => c is >= '!' and <= '~' and not '"')
            ? new EntityTagHeaderValue("\"" + tag + "\"")
            : HashTag(csv ? "version.csv" : "version", Encoding.UTF8.GetBytes(version));
    }

    private static EntityTagHeaderValue HashTag(string scope, ReadOnlySpan<byte> bytes)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var input = new byte[scopeBytes.Length + 1 + bytes.Length];
        scopeBytes.CopyTo(input, 0);
        bytes.CopyTo(input.AsSpan(scopeBytes.Length + 1));
        var hash = SHA256.HashData(input);
        return new EntityTagHeaderValue("\"" + Base64Url.EncodeToString(hash.AsSpan(0, 18)) + "\"");
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

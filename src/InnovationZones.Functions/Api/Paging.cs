using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace InnovationZones.Api;

/// <summary>A list response: <c>{"value": [...], "nextLink": "..."}</c>, with nextLink absent on the last page.</summary>
public sealed record ListResponse<T>(
    IReadOnlyList<T> Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>What a list request asks for: a page size and where to continue.</summary>
public sealed record PageRequest(int Size, string? StorageToken);

/// <summary>
/// Server-driven paging on top of Table Storage continuation tokens, so page 50 costs what page 1
/// costs. The token a caller sees wraps the storage continuation with a MAC over it and over the
/// query it belongs to: a tampered token, or one from another query, is a 400, never a scan from zero.
/// </summary>
public sealed class Paging
{
    private const byte Version = 1;
    private const int MacLength = 16;
    private const int MaxTokenLength = 4096;

    private static readonly byte[] BuiltInKey = SHA256.HashData("innovation-zones/continuation-token/v1"u8);

    private readonly byte[] key;

    private readonly ReadCache reads;

    /// <summary>Paging over <paramref name="reads"/>, the read cache (which reads storage when it is off or asked fresh).</summary>
    public Paging(IOptions<ApiOptions> options, ReadCache reads)
    {
        this.reads = reads;
        var configured = options.Value.ContinuationTokenKey;
        key = string.IsNullOrEmpty(configured) ? BuiltInKey : Convert.FromBase64String(configured);
        if (key.Length < 32)
        {
            throw new OptionsValidationException(nameof(ApiOptions.ContinuationTokenKey), typeof(ApiOptions),
                ["Api__ContinuationTokenKey must be base64 of at least 32 bytes."]);
        }
    }

    /// <summary>The page a checked list request asks for, its continuation token bound to the query named by <paramref name="fingerprint"/>.</summary>
    public PageRequest Read(RequestQuery query, string fingerprint) =>
        new(query.PageSize, query.Continuation is { } token ? Unprotect(token, fingerprint) : null);

    /// <summary>
    /// Reads the page the request asks for, of <paramref name="filter"/> over <paramref name="table"/>, and
    /// answers it as JSON with its nextLink, or as CSV, with its ETag and Link header; or 304 when the
    /// caller's copy is current (the page read, none while the read cache holds the page, is then the only
    /// storage round-trip). The continuation token is bound to the table and filter.
    /// <paramref name="firstPageChecks"/> (that the scope or a filter value
    /// exists) run on the first page only, and not when the caller names this page's own ETag: a valid
    /// continuation token, or an ETag bound to this query and these bytes, proves they passed when it was issued.
    /// </summary>
    public async Task<IResult> ReadPageAsync<T>(
        HttpRequest request,
        RequestQuery query,
        TableClient table,
        string filter,
        Func<TableEntity, T> map,
        Func<Task>? firstPageChecks,
        CancellationToken cancellationToken)
    {
        var fingerprint = table.Name + "\n" + filter;
        var page = Read(query, fingerprint);
        var mediaType = ContentNegotiation.Choose(request, csv: true);
        var result = await reads.QueryPageAsync(table, filter, page.Size, page.StorageToken, CachePolicy.RequiresFresh(request), cancellationToken);
        var list = Respond(request, [.. result.Entities.Select(map)], result.ContinuationToken, fingerprint);
        var representation = Representation.ForList(mediaType, list, fingerprint, CachePolicy.List);
        if (page.StorageToken is null && firstPageChecks is not null && !representation.IsTagKnownTo(request))
        {
            await firstPageChecks();
        }

        return representation;
    }

    public ListResponse<T> Respond<T>(HttpRequest request, IReadOnlyList<T> items, string? storageToken, string fingerprint)
    {
        if (storageToken is null)
        {
            return new ListResponse<T>(items, null);
        }

        return new ListResponse<T>(items, NextLink(request, RequestQuery.ContinuationToken, Protect(storageToken, fingerprint)));
    }

    /// <summary>
    /// The request's absolute URL with <paramref name="parameter"/> set to <paramref name="value"/>: every other
    /// parameter as sent, and the one named dropped in whatever case it came (the query is read without regard
    /// to case, so two spellings of it would be one repeated parameter).
    /// </summary>
    public static string NextLink(HttpRequest request, string parameter, string value)
    {
        var parameters = request.Query
            .Where(p => !string.Equals(p.Key, parameter, StringComparison.OrdinalIgnoreCase))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new KeyValuePair<string, string?>(parameter, value));
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(parameters));
    }

    internal string Protect(string storageToken, string fingerprint)
    {
        var payload = Encoding.UTF8.GetBytes(storageToken);
        var token = new byte[1 + MacLength + payload.Length];
        token[0] = Version;
        Mac(fingerprint, payload).CopyTo(token.AsSpan(1));
        payload.CopyTo(token.AsSpan(1 + MacLength));
        return Base64Url.EncodeToString(token);
    }

    internal string Unprotect(string token, string fingerprint)
    {
        byte[] bytes;
        try
        {
            bytes = token.Length <= MaxTokenLength ? Base64Url.DecodeFromChars(token) : [];
        }
        catch (FormatException)
        {
            bytes = [];
        }

        if (bytes.Length <= 1 + MacLength || bytes[0] != Version)
        {
            throw Problems.InvalidContinuationToken("The continuation token is malformed. Follow nextLink as given, or start again from the first page.");
        }

        var payload = bytes.AsSpan(1 + MacLength);
        if (!CryptographicOperations.FixedTimeEquals(bytes.AsSpan(1, MacLength), Mac(fingerprint, payload)))
        {
            throw Problems.InvalidContinuationToken("The continuation token was not issued for this query, or it was altered. Follow nextLink as given, or start again from the first page.");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            throw Problems.InvalidContinuationToken("The continuation token is malformed.");
        }
    }

    private byte[] Mac(string fingerprint, ReadOnlySpan<byte> payload)
    {
        var fingerprintBytes = Encoding.UTF8.GetBytes(fingerprint);
        var message = new byte[fingerprintBytes.Length + 1 + payload.Length];
        fingerprintBytes.CopyTo(message, 0);
        payload.CopyTo(message.AsSpan(fingerprintBytes.Length + 1));
        return HMACSHA256.HashData(key, message)[..MacLength];
    }
}

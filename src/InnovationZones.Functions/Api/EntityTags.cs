using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.Api;

/// <summary>
/// <c>If-None-Match</c> and <c>If-Match</c> as RFC 9110 §8.8.3 and §13.1 write them, read strictly: <c>*</c>
/// stands alone; anything else is a comma-separated list of quoted entity tags (<c>"..."</c> or <c>W/"..."</c>,
/// each character <c>!</c> or <c>#</c> to <c>~</c>), empty list elements and spaces around commas allowed, at
/// most <see cref="MaxLength"/> characters.
/// A header that is neither is a 400 <c>InvalidPrecondition</c>, never a guess. The patterns are the ones the
/// OpenAPI document states.
/// </summary>
public static partial class EntityTags
{
    private static readonly object ParsedIfNoneMatch = new();

    /// <summary>One entity tag, as an ECMA-262 fragment.</summary>
    private const string Tag = "(W/)?\"[!#-~]*\"";

    /// <summary>The longest header read: far above any list of the API's own tags (40 characters each).</summary>
    public const int MaxLength = 4096;

    /// <summary>One entity tag or <c>*</c>: what a write's <c>If-Match</c> takes.</summary>
    public const string SinglePattern = "^(\\*|" + Tag + ")$";

    /// <summary><c>*</c>, or a list of entity tags: what a GET's <c>If-None-Match</c> takes.</summary>
    public const string ListPattern = "^(\\*|[ \\t]*(,[ \\t]*)*" + Tag + "([ \\t]*,([ \\t]*" + Tag + ")?)*[ \\t]*)$";

    /// <summary>
    /// The GET's <c>If-None-Match</c>: null when absent, <see cref="EntityTagHeaderValue.Any"/> alone for
    /// <c>*</c>, or its tags. Throws the 400 problem when the header is malformed.
    /// </summary>
    public static IReadOnlyList<EntityTagHeaderValue>? IfNoneMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Read once a request: the query check validates it, the 304 decision reads it.
        var items = request.HttpContext.Items;
        if (items.TryGetValue(ParsedIfNoneMatch, out var parsed))
        {
            return (IReadOnlyList<EntityTagHeaderValue>?)parsed;
        }

        var tags = ParseIfNoneMatch(request);
        items[ParsedIfNoneMatch] = tags;
        return tags;
    }

    private static IReadOnlyList<EntityTagHeaderValue>? ParseIfNoneMatch(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderNames.IfNoneMatch, out var values) || values.Count == 0)
        {
            return null;
        }

        // Several header lines are one list (RFC 9110 §5.3), but `*` must stand alone.
        var value = values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());
        if (value.Length > MaxLength || !ListRegex().IsMatch(value))
        {
            throw Problems.InvalidPrecondition(
                HeaderNames.IfNoneMatch,
                "If-None-Match takes * alone, or a comma-separated list of entity tags as the API sends them in ETag (\"...\" or W/\"...\").");
        }

        return value == "*"
            ? [EntityTagHeaderValue.Any]
            : [.. TagRegex().Matches(value).Select(m => new EntityTagHeaderValue(m.Groups["opaque"].Value, m.Groups["weak"].Success))];
    }

    /// <summary>Whether <paramref name="value"/> is one entity tag (not <c>*</c>).</summary>
    public static bool IsSingle(string value) => value != "*" && value.Length <= MaxLength && SingleRegex().IsMatch(value);

    [GeneratedRegex(ListPattern, RegexOptions.CultureInvariant)]
    private static partial Regex ListRegex();

    [GeneratedRegex(SinglePattern, RegexOptions.CultureInvariant)]
    private static partial Regex SingleRegex();

    [GeneratedRegex("(?<weak>W/)?(?<opaque>\"[!#-~]*\")", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}

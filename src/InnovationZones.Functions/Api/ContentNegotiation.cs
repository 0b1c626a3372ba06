using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace InnovationZones.Api;

/// <summary>
/// Chooses the media type of a 200 from the request's <c>Accept</c> (RFC 9110 §12.5.1): JSON everywhere,
/// CSV where the endpoint offers it. For each type the most specific matching range gives its quality;
/// the highest quality wins and JSON wins ties. No <c>Accept</c> means JSON; nothing acceptable is a 406.
/// </summary>
public static class ContentNegotiation
{
    private static readonly MediaTypeHeaderValue JsonType = new(MediaTypes.Json);
    private static readonly MediaTypeHeaderValue CsvType = new(MediaTypes.Csv);

    /// <summary>Returns <see cref="MediaTypes.Json"/> or <see cref="MediaTypes.Csv"/>; throws the 406 problem when the caller accepts neither.</summary>
    public static string Choose(HttpRequest request, bool csv)
    {
        ArgumentNullException.ThrowIfNull(request);

        var accept = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(accept))
        {
            return MediaTypes.Json;
        }

        var offered = csv ? new[] { JsonType, CsvType } : [JsonType];
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            throw Problems.NotAcceptable($"The Accept header is malformed. This endpoint answers {Describe(offered)}.");
        }

        MediaTypeHeaderValue? best = null;
        var bestQuality = 0d;
        foreach (var type in offered)
        {
            var quality = Quality(type, ranges);
            if (quality > bestQuality)
            {
                best = type;
                bestQuality = quality;
            }
        }

        return best?.MediaType.Value
            ?? throw Problems.NotAcceptable($"This endpoint answers {Describe(offered)}, and the Accept header allows none of them.");
    }

    /// <summary>The quality the most specific range matching <paramref name="type"/> gives it; 0 when none matches.</summary>
    private static double Quality(MediaTypeHeaderValue type, IList<MediaTypeHeaderValue> ranges)
    {
        MediaTypeHeaderValue? match = null;
        var specificity = -1;
        foreach (var range in ranges)
        {
            // Parameters other than q (charset, say) do not narrow the match: both types are UTF-8 text.
            if (!type.IsSubsetOf(new MediaTypeHeaderValue(range.MediaType)))
            {
                continue;
            }

            var rangeSpecificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
            if (rangeSpecificity > specificity)
            {
                match = range;
                specificity = rangeSpecificity;
            }
        }

        return match is null ? 0 : match.Quality ?? 1;
    }

    private static string Describe(MediaTypeHeaderValue[] offered) =>
        string.Join(" or ", offered.Select(t => t.MediaType.Value));
}

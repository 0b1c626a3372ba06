using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using NCrontab;

namespace InnovationZones.Api;

/// <summary>
/// How long a response may be reused, as its <c>Cache-Control</c>: entities and lists briefly (data
/// changes only through imports and writes, and a 304 is cheap), health and problems never, and
/// precomputed aggregates until the next scheduled recompute can change them.
/// </summary>
public sealed record CachePolicy(string CacheControl)
{
    /// <summary>How long entities and lists may be reused without asking again.</summary>
    public static readonly TimeSpan ShortLived = TimeSpan.FromSeconds(60);

    public static CachePolicy Entity { get; } = MaxAge(ShortLived);

    public static CachePolicy List { get; } = MaxAge(ShortLived);

    public static CachePolicy NoStore { get; } = new("no-store");

    /// <summary>
    /// Whether the caller asks for what storage holds now, not a copy (<c>Cache-Control: no-cache</c> or
    /// <c>max-age=0</c>, or <c>Pragma: no-cache</c> without <c>Cache-Control</c>, RFC 9111 §5.2.1 and §5.4):
    /// then the read skips the app's read cache (and refreshes it).
    /// </summary>
    public static bool RequiresFresh(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cacheControl = request.Headers.CacheControl;
        if (cacheControl.Count == 0)
        {
            return request.Headers.Pragma.Any(p => p?.Contains("no-cache", StringComparison.OrdinalIgnoreCase) == true);
        }

        return CacheControlHeaderValue.TryParse(string.Join(',', cacheControl.ToArray()), out var parsed)
            && (parsed.NoCache || parsed.MaxAge == TimeSpan.Zero);
    }

    public static CachePolicy MaxAge(TimeSpan age) =>
        new("public, max-age=" + Math.Max(0, (long)Math.Ceiling(age.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Reusable until the next occurrence of <paramref name="schedule"/> after now, in the clock's local
    /// time zone (the zone the Functions host runs timer schedules in).
    /// </summary>
    public static CachePolicy UntilNextOccurrence(CrontabSchedule schedule, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var zone = time.LocalTimeZone;
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var next = schedule.GetNextOccurrence(local);
        var nextUtc = new DateTimeOffset(next, zone.GetUtcOffset(next));
        return MaxAge(nextUtc - now);
    }

    /// <summary>
    /// The same for a timer trigger's NCRONTAB expression, such as the <c>AggregatesSchedule</c> setting:
    /// six fields (seconds first, as the Functions host reads it) or five. Without a valid expression,
    /// <paramref name="otherwise"/> (the short life of a list, unless given).
    /// </summary>
    public static CachePolicy UntilNextOccurrence(string? expression, TimeProvider time, CachePolicy? otherwise = null)
    {
        var fields = expression?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
        return fields is 5 or 6
            && CrontabSchedule.TryParse(expression!.Trim(), new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 }) is { } schedule
            ? UntilNextOccurrence(schedule, time)
            : otherwise ?? List;
    }
}

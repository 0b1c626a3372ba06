using System.Globalization;
using System.Text.RegularExpressions;
using NCrontab;

namespace InnovationZones.DevHost;

/// <summary>
/// A timer trigger's schedule, read as the Functions host reads it: an NCRONTAB expression with seconds
/// ("0 */5 * * * *"), a classic five-field one ("*/5 * * * *"), or a constant interval as a TimeSpan
/// ("00:00:30"). Cron schedules are in the local time zone, as in the host.
/// </summary>
internal abstract partial class TimerSchedule
{
    public abstract string Expression { get; }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public abstract DateTimeOffset GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone);

    public static TimerSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var trimmed = expression.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6 && CrontabSchedule.TryParse(trimmed, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 }) is { } cron)
        {
            return new Cron(trimmed, cron);
        }

        if (fields == 1 && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new Interval(trimmed, interval);
        }

        throw new FormatException(
            $"'{expression}' is not a schedule: use an NCRONTAB expression with six fields (seconds first, e.g. \"0 */5 * * * *\"), " +
            "five fields (\"*/5 * * * *\"), or a positive TimeSpan (\"00:05:00\").");
    }

    /// <summary>
    /// Replaces each <c>%Name%</c> with the setting <c>Name</c> (as <c>[TimerTrigger("%AggregatesSchedule%")]</c>
    /// reads an app setting); a missing setting is an error, never an empty schedule.
    /// </summary>
    public static string ResolveSettings(string expression, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(configuration);
        return SettingReference().Replace(expression, match =>
        {
            var name = match.Groups["name"].Value;
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new FormatException($"the schedule refers to %{name}%, but there is no setting named {name}.");
        });
    }

    public override string ToString() => Expression;

    [GeneratedRegex("%(?<name>[^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();

    private sealed class Cron(string expression, CrontabSchedule schedule) : TimerSchedule
    {
        public override string Expression => expression;

        public override DateTimeOffset GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
        {
            // NCrontab counts in wall-clock time: step through the zone's local time, skipping local times
            // that do not exist (spring forward) and any that fall back to or before 'after'.
            var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                local = schedule.GetNextOccurrence(local);
                if (zone.IsInvalidTime(local))
                {
                    continue;
                }

                var occurrence = new DateTimeOffset(local, zone.GetUtcOffset(local));
                if (occurrence > after)
                {
                    return occurrence;
                }
            }

            throw new InvalidOperationException($"No occurrence of '{expression}' after {after:O}.");
        }
    }

    private sealed class Interval(string expression, TimeSpan interval) : TimerSchedule
    {
        public override string Expression => expression;

        public override DateTimeOffset GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone) => after + interval;
    }
}

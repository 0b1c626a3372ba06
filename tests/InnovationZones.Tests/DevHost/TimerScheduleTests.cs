using InnovationZones.DevHost;
using Microsoft.Extensions.Configuration;

namespace InnovationZones.Tests.DevHost;

/// <summary>Schedules read as the Functions host reads them; %Setting% names resolved from configuration.</summary>
[Trait("Category", Tier.Unit)]
public sealed class TimerScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 1, TimeSpan.Zero);

    [Theory]
    [InlineData("*/5 * * * * *", "2026-03-01T00:00:05Z")]
    [InlineData("0 */5 * * * *", "2026-03-01T00:05:00Z")]
    [InlineData("0 30 9 * * *", "2026-03-01T09:30:00Z")]
    [InlineData("0 0 0 1 1 *", "2027-01-01T00:00:00Z")]
    public void SixFieldCronCountsSeconds(string expression, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            TimerSchedule.Parse(expression).GetNextOccurrence(Start, TimeZoneInfo.Utc));

    [Fact]
    public void FiveFieldCronCountsMinutes() =>
        Assert.Equal(Start.AddSeconds(-1).AddMinutes(5), TimerSchedule.Parse("*/5 * * * *").GetNextOccurrence(Start, TimeZoneInfo.Utc));

    [Fact]
    public void TimeSpanIsAConstantInterval() =>
        Assert.Equal(Start.AddSeconds(90), TimerSchedule.Parse("00:01:30").GetNextOccurrence(Start, TimeZoneInfo.Utc));

    [Fact]
    public void CronIsReadInTheLocalTimeZone()
    {
        var beijing = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

        // 09:00 in UTC+8 is 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero),
            TimerSchedule.Parse("0 0 9 * * *").GetNextOccurrence(Start, beijing).ToUniversalTime());
    }

    [Fact]
    public void TheNextOccurrenceIsStrictlyLater()
    {
        var onTheDot = new DateTimeOffset(2026, 3, 1, 0, 0, 10, TimeSpan.Zero);
        Assert.Equal(onTheDot.AddSeconds(10), TimerSchedule.Parse("*/10 * * * * *").GetNextOccurrence(onTheDot, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("")]
    [InlineData("every five minutes")]
    [InlineData("* * *")]
    [InlineData("61 * * * * *")]
    [InlineData("* * * * * * *")]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    public void AnythingElseIsRejectedWithTheFormsItTakes(string expression)
    {
        var error = Assert.Throws<FormatException>(() => TimerSchedule.Parse(expression));
        Assert.Contains("NCRONTAB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingNamesAreReplacedByTheirValues()
    {
        var configuration = Configuration(("AggregatesSchedule", "0 */30 * * * *"), ("Minute", "15"), ("Timers:Cleanup", "00:10:00"));
        Assert.Equal("0 */30 * * * *", TimerSchedule.ResolveSettings("%AggregatesSchedule%", configuration));
        Assert.Equal("0 15 * * * *", TimerSchedule.ResolveSettings("0 %Minute% * * * *", configuration));
        Assert.Equal("00:10:00", TimerSchedule.ResolveSettings("%Timers__Cleanup%", configuration));
        Assert.Equal("0 0 * * * *", TimerSchedule.ResolveSettings("0 0 * * * *", configuration));
    }

    [Fact]
    public void AMissingSettingIsAnErrorThatNamesIt()
    {
        var error = Assert.Throws<FormatException>(() => TimerSchedule.ResolveSettings("%NoSuchSchedule%", Configuration()));
        Assert.Contains("NoSuchSchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADevHostWithAnUnresolvableScheduleFailsAtStartupNamingTheFunction()
    {
        using var metadata = new TestMetadata(TestMetadata.Timer("Nightly", "TestTimerFunctions.Tick", "%NightlySchedule%"));
        var options = new DevHostOptions { Urls = "http://127.0.0.1:0", MetadataPath = metadata.Path };
        var error = Assert.ThrowsAny<InvalidOperationException>(() => DevHostApp.Build(options));
        Assert.Contains("'Nightly'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NightlySchedule", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}

using InnovationZones.Api;
using Microsoft.Extensions.Time.Testing;
using NCrontab;

namespace InnovationZones.Tests.Api;

[Trait("Category", Tier.Unit)]
public sealed class CachePolicyTests
{
    [Fact]
    public void EntitiesAndListsAreShortLivedAndNoStoreIsNoStore()
    {
        Assert.Equal("public, max-age=60", CachePolicy.Entity.CacheControl);
        Assert.Equal("public, max-age=60", CachePolicy.List.CacheControl);
        Assert.Equal("no-store", CachePolicy.NoStore.CacheControl);
    }

    [Theory]
    [InlineData("0 */15 * * * *", "2026-11-28T10:05:30Z", 570)]
    [InlineData("0 0 2 * * *", "2026-11-28T01:59:59Z", 1)]
    [InlineData("0 0 2 * * *", "2026-11-28T02:00:00Z", 86400)]
    [InlineData("*/30 * * * *", "2026-11-28T10:29:00Z", 60)]
    public void UntilTheNextOccurrenceOfTheSchedule(string schedule, string now, int seconds)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        Assert.Equal($"public, max-age={seconds}", CachePolicy.UntilNextOccurrence(schedule, time).CacheControl);
    }

    [Fact]
    public void TheScheduleIsReadInTheClocksTimeZone()
    {
        // 02:00 in UTC+08:00 is 18:00 UTC the day before.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 17, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8"));
        var schedule = CrontabSchedule.Parse("0 0 2 * * *", new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        Assert.Equal("public, max-age=3600", CachePolicy.UntilNextOccurrence(schedule, time).CacheControl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("every quarter hour")]
    [InlineData("0 0 99 * * *")]
    public void WithoutAValidScheduleTheShortLifeOfAListOrWhatIsGiven(string? schedule)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(CachePolicy.List, CachePolicy.UntilNextOccurrence(schedule, time));
        Assert.Equal(CachePolicy.NoStore, CachePolicy.UntilNextOccurrence(schedule, time, CachePolicy.NoStore));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("no-cache", null, true)]
    [InlineData("max-age=0", null, true)]
    [InlineData("max-age=30", null, false)]
    [InlineData("no-store", null, false)]
    [InlineData("max-stale=5, No-Cache", null, true)]
    [InlineData(null, "no-cache", true)]
    [InlineData("max-age=30", "no-cache", false)]
    public void AFreshReadIsAskedForByNoCacheOrMaxAgeZero(string? cacheControl, string? pragma, bool fresh)
    {
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        if (cacheControl is not null)
        {
            request.Headers.CacheControl = cacheControl;
        }

        if (pragma is not null)
        {
            request.Headers.Pragma = pragma;
        }

        Assert.Equal(fresh, CachePolicy.RequiresFresh(request));
    }
}

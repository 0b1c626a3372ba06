using System.Net;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace InnovationZones.Tests.DevHost;

/// <summary>Timer triggers from functions.metadata: on their schedule (a fake clock), on request, one run at a time.</summary>
[Trait("Category", Tier.Host)]
public sealed class TimerTriggerTests : IDisposable
{
    private const string Yearly = "0 0 0 1 1 *";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimerRuns runs = TimerRuns.New();
    private readonly FakeTimeProvider clock = new(Start);
    private readonly TestMetadata metadata = new(
        TestMetadata.Timer("Tick", "TestTimerFunctions.Tick", "%TickSchedule%"),
        TestMetadata.Timer("Yearly", "TestTimerFunctions.Tick", Yearly),
        TestMetadata.Timer("Slow", "TestTimerFunctions.Slow", Yearly),
        TestMetadata.Timer("Fail", "TestTimerFunctions.Fail", Yearly),
        TestMetadata.Http("Hello", "TestHttpFunctions.Hello", "hello"));

    public void Dispose() => metadata.Dispose();

    [Fact]
    public async Task ATimerRunsAtEachOccurrenceOfItsScheduleFromSettings()
    {
        await using var server = await StartAsync(tickSchedule: "*/10 * * * * *");

        var seen = new List<Microsoft.Azure.Functions.Worker.TimerInfo>();
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            seen.Add(await runs.NextAsync());
        }

        Assert.All(seen, run => Assert.False(run.IsPastDue));
        Assert.Equal([default, At(10), At(20)], seen.Select(r => r.ScheduleStatus!.Last));
        Assert.Equal([At(20), At(30), At(40)], seen.Select(r => r.ScheduleStatus!.Next));
        Assert.Equal([At(10), At(20), At(30)], seen.Select(r => r.ScheduleStatus!.LastUpdated));
    }

    [Fact]
    public async Task ATimerDoesNotRunBeforeItsOccurrence()
    {
        await using var server = await StartAsync(tickSchedule: "*/10 * * * * *");

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await runs.AnyWithinAsync(500));
        clock.Advance(TimeSpan.FromSeconds(1));
        await runs.NextAsync();
    }

    [Fact]
    public async Task ARunThatComesLateIsPastDueAndMissedOccurrencesAreSkipped()
    {
        await using var server = await StartAsync(tickSchedule: "*/10 * * * * *");

        clock.Advance(TimeSpan.FromSeconds(25));
        var late = await runs.NextAsync();
        Assert.True(late.IsPastDue);

        // The occurrence at 00:00:20 passed during the wait: the next run is the one at 00:00:30.
        Assert.False(await runs.AnyWithinAsync(300));
        clock.Advance(TimeSpan.FromSeconds(5));
        var next = await runs.NextAsync();
        Assert.False(next.IsPastDue);
        Assert.Equal(At(10), next.ScheduleStatus!.Last);
        Assert.Equal(At(40), next.ScheduleStatus.Next);
    }

    [Fact]
    public async Task AnIntervalScheduleRunsEveryInterval()
    {
        await using var server = await StartAsync(tickSchedule: "00:00:30");

        clock.Advance(TimeSpan.FromSeconds(30));
        await runs.NextAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = await runs.NextAsync();
        Assert.Equal(At(90), second.ScheduleStatus!.Next);
    }

    [Fact]
    public async Task RunOnStartupRunsOnceAtStart()
    {
        using var startup = new TestMetadata(TestMetadata.Timer("Startup", "TestTimerFunctions.Tick", Yearly, runOnStartup: true));
        await using var server = await StartAsync(metadataPath: startup.Path);

        var run = await runs.NextAsync();
        Assert.False(run.IsPastDue);
        Assert.Equal(new DateTime(2027, 1, 1), run.ScheduleStatus!.Next);
        Assert.False(await runs.AnyWithinAsync(300));
    }

    [Fact]
    public async Task PostingToTheAdminApiRunsTheFunctionOnceAndAnswers202()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.PostAsync("admin/functions/Yearly", JsonContent("""{"input":""}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await runs.NextAsync();
        Assert.False(run.IsPastDue);
        Assert.Equal(new DateTime(2027, 1, 1), run.ScheduleStatus!.Next);
        Assert.False(await runs.AnyWithinAsync(300));
    }

    [Fact]
    public async Task TheAdminApiTakesNamesCaseInsensitively()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.PostAsync("admin/functions/yearly", JsonContent("{}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await runs.NextAsync();
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("""{"input":""}""", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[]", "application/json", HttpStatusCode.BadRequest)]
    public async Task TheAdminApiTakesAJsonObjectAsTheHostDoesAndRunsNothingOtherwise(string? body, string? contentType, HttpStatusCode status)
    {
        await using var server = await StartAsync();

        using var content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, contentType!);
        using var response = await server.Client.PostAsync("admin/functions/Yearly", content);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.False(await runs.AnyWithinAsync(300));
    }

    [Fact]
    public async Task RunsOfOneFunctionNeverOverlap()
    {
        await using var server = await StartAsync();

        for (var i = 0; i < 3; i++)
        {
            using var response = await server.Client.PostAsync("admin/functions/Slow", JsonContent("{}"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            await runs.NextAsync();
        }

        Assert.Equal(1, runs.MostAtOnce);
    }

    [Fact]
    public async Task AFailingRunIsLoggedAndTheHostGoesOn()
    {
        await using var server = await StartAsync();
        var logs = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        for (var i = 0; i < 2; i++)
        {
            using var response = await server.Client.PostAsync("admin/functions/Fail", JsonContent("{}"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await runs.NextAsync();
        }

        var failure = await logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        Assert.Contains("'Fail'", failure.Message, StringComparison.Ordinal);
        using var status = await server.Client.GetAsync("admin/host/status");
        Assert.Contains("\"state\":\"Running\"", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminApiAnswers404ForAnUnknownFunctionAnd202ForAnHttpFunctionAsTheHostDoes()
    {
        await using var server = await StartAsync();

        using var unknown = await server.Client.PostAsync("admin/functions/NoSuchFunction", JsonContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("", await unknown.Content.ReadAsStringAsync());
        using var http = await server.Client.PostAsync("admin/functions/Hello", JsonContent("""{"input":""}"""));
        Assert.Equal(HttpStatusCode.Accepted, http.StatusCode);
        Assert.False(await runs.AnyWithinAsync(300));
    }

    private static DateTime At(int seconds) => Start.UtcDateTime.AddSeconds(seconds);

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private Task<ApiServer> StartAsync(string tickSchedule = Yearly, string? metadataPath = null) =>
        ApiServer.StartAsync(loadBeijing: false, configure: options =>
        {
            options.MetadataPath = metadataPath ?? metadata.Path;
            options.TimeProvider = clock;
            options.Settings["TickSchedule"] = tickSchedule;
            options.Settings[TimerRuns.Setting] = runs.Id;
        });
}

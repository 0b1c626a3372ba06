using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace InnovationZones.Tests.DevHost;

/// <summary>HTTP functions that live in the test assembly; a test metadata file points the dev host at them.</summary>
public sealed class TestHttpFunctions(TimeProvider time)
{
    /// <summary>An instance method: the class is created per request from the app's services.</summary>
    public IResult Hello(HttpRequest request) => TypedResults.Ok(new { hello = request.Path.Value, at = time.GetUtcNow() });

    public static async Task<IActionResult> Echo(HttpRequest request, int number, string word, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return new OkObjectResult(new { number, word, method = request.Method });
    }

    public static ValueTask<IResult> Conflict(HttpRequest request) =>
        throw new ProblemException(409, "TestConflict", "Test conflict", "This function always conflicts.");

    public static IResult Crash(HttpRequest request) => throw new InvalidOperationException("internal detail that must not leak");

    public static IResult Unbindable(HttpRequest request, Uri notARouteValue) => TypedResults.Ok(notARouteValue);

    /// <summary>A stats-shaped GET, the way aggregate endpoints opt in: JSON or CSV, ETag from the run id, cached until the next run.</summary>
    public IResult Table(HttpRequest request)
    {
        RequestQuery.For(request, "run");
        var run = request.Query["run"].ToString() is { Length: > 0 } given ? given : "run-42";
        TestRow[] rows = [new("a", 1.50m, new TestCell("x, \"quoted\"", null)), new("b", -2m, null)];
        return Representation.ForTable(request, ContentNegotiation.Choose(request, csv: true), new { runId = run, value = rows }, rows, CachePolicy.UntilNextOccurrence("0 0 * * * *", time), version: run);
    }
}

public sealed record TestCell(string Text, int? Missing);

public sealed record TestRow(string Id, decimal Amount, TestCell? Cell);

/// <summary>
/// Timer functions that live in the test assembly. Each test names its own <see cref="TimerRuns"/> with the
/// setting <see cref="TimerRuns.Setting"/>, so tests never see each other's runs.
/// </summary>
public sealed class TestTimerFunctions(IConfiguration configuration)
{
    public Task Tick(TimerInfo timer, CancellationToken cancellationToken)
    {
        TimerRuns.For(configuration).Record(timer);
        return Task.CompletedTask;
    }

    public async Task Slow(TimerInfo timer, CancellationToken cancellationToken)
    {
        var runs = TimerRuns.For(configuration);
        runs.Enter();
        try
        {
            await Task.Delay(300, cancellationToken);
        }
        finally
        {
            runs.Exit();
            runs.Record(timer);
        }
    }

    public void Fail(TimerInfo timer)
    {
        TimerRuns.For(configuration).Record(timer);
        throw new InvalidOperationException("This timer fails on purpose.");
    }
}

/// <summary>What one test's timer functions saw.</summary>
public sealed class TimerRuns
{
    public const string Setting = "Test:TimerRuns";

    private static readonly ConcurrentDictionary<string, TimerRuns> All = new();

    private readonly Channel<TimerInfo> runs = Channel.CreateUnbounded<TimerInfo>();
    private int running;
    private int mostAtOnce;

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public int MostAtOnce => Volatile.Read(ref mostAtOnce);

    public static TimerRuns New()
    {
        var runs = new TimerRuns();
        All[runs.Id] = runs;
        return runs;
    }

    public static TimerRuns For(IConfiguration configuration) => All[configuration[Setting]!];

    public void Record(TimerInfo timer) => runs.Writer.TryWrite(timer);

    public void Enter()
    {
        var now = Interlocked.Increment(ref running);
        int seen;
        while (now > (seen = Volatile.Read(ref mostAtOnce)) && Interlocked.CompareExchange(ref mostAtOnce, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref running);

    /// <summary>The next run, or a failed test after <paramref name="seconds"/>.</summary>
    public async Task<TimerInfo> NextAsync(int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await runs.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No timer run within {seconds} seconds.");
        }
    }

    /// <summary>True when a run arrives within <paramref name="milliseconds"/>.</summary>
    public async Task<bool> AnyWithinAsync(int milliseconds)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            return await runs.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>A functions.metadata file, in the Worker SDK's format, for functions in the test assembly; deleted on dispose.</summary>
public sealed class TestMetadata : IDisposable
{
    public static readonly string ScriptFile = System.IO.Path.GetFileName(typeof(TestMetadata).Assembly.Location);

    public TestMetadata(params JsonObject[] functions)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devhost-{Guid.NewGuid():N}.functions.metadata");
        File.WriteAllText(Path, new JsonArray(functions).ToJsonString());
    }

    public string Path { get; }

    public static JsonObject Http(string name, string entryPoint, string route, string authLevel = "Anonymous", params string[] methods) =>
        Function(name, entryPoint, new JsonObject
        {
            ["name"] = "request",
            ["direction"] = "In",
            ["type"] = "httpTrigger",
            ["authLevel"] = authLevel,
            ["methods"] = new JsonArray([.. (methods.Length == 0 ? ["get"] : methods).Select(m => JsonValue.Create(m))]),
            ["route"] = route,
            ["properties"] = new JsonObject(),
        }, new JsonObject { ["name"] = "$return", ["type"] = "http", ["direction"] = "Out" });

    public static JsonObject Timer(string name, string entryPoint, string schedule, bool runOnStartup = false)
    {
        var trigger = new JsonObject
        {
            ["name"] = "timer",
            ["direction"] = "In",
            ["type"] = "timerTrigger",
            ["schedule"] = schedule,
            ["properties"] = new JsonObject(),
        };
        if (runOnStartup)
        {
            trigger["runOnStartup"] = true;
        }

        return Function(name, entryPoint, trigger);
    }

    public void Dispose() => File.Delete(Path);

    private static JsonObject Function(string name, string entryPoint, params JsonObject[] bindings) => new()
    {
        ["name"] = name,
        ["scriptFile"] = ScriptFile,
        ["entryPoint"] = "InnovationZones.Tests.DevHost." + entryPoint,
        ["language"] = "dotnet-isolated",
        ["properties"] = new JsonObject { ["IsCodeless"] = false },
        ["bindings"] = new JsonArray(bindings),
    };
}

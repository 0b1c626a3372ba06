using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.DevHost;

/// <summary>A timer-triggered function: its resolved schedule and its method.</summary>
internal sealed record TimerFunction(FunctionInvoker Invoker, TimerSchedule Schedule, bool RunOnStartup)
{
    public string Name => Invoker.Name;

    private const string Bindable = "TimerInfo (the trigger) and CancellationToken";

    public static TimerFunction Create(FunctionDefinition definition, IConfiguration configuration)
    {
        var trigger = definition.Trigger!;
        if (string.IsNullOrWhiteSpace(trigger.Schedule))
        {
            throw new DevHostException($"Function '{definition.Name}': its timerTrigger has no schedule.");
        }

        TimerSchedule schedule;
        try
        {
            schedule = TimerSchedule.Parse(TimerSchedule.ResolveSettings(trigger.Schedule, configuration));
        }
        catch (FormatException e)
        {
            throw new DevHostException($"Function '{definition.Name}': {e.Message}", e);
        }

        var invoker = FunctionInvoker.Create(definition, Bind, Bindable);
        return new TimerFunction(invoker, schedule, trigger.RunsOnStartup);
    }

    private static Func<InvocationContext, object?>? Bind(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(TimerInfo) ? c => c.Timer
        : parameter.ParameterType == typeof(CancellationToken) ? c => c.CancellationToken
        : null;
}

/// <summary>
/// Runs one timer function on its schedule, and once on request (<c>POST /admin/functions/{name}</c>).
/// Runs of one function never overlap: a run that comes due while another is running waits for it.
/// A failing run is logged; the schedule goes on. Waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class TimerTriggerService(
    TimerFunction function,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TimerTriggerService> logger) : BackgroundService
{
    /// <summary>Timers cap one wait, so that a yearly schedule never asks for a timer longer than they allow.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource shutdown = new();
    private readonly Lock statusLock = new();
    private readonly HashSet<Task> requestedRuns = [];
    private DateTimeOffset? lastOccurrence;
    private DateTimeOffset nextOccurrence;

    /// <summary>Starts one run now, in the background; false when the service is not running.</summary>
    public bool TryRunNow()
    {
        if (ExecuteTask is null || shutdown.IsCancellationRequested)
        {
            return false;
        }

        var info = new TimerInfo { ScheduleStatus = Status(time.GetUtcNow()), IsPastDue = false };
        lock (requestedRuns)
        {
            var run = Task.Run(() => RunAsync(info, "This function was programmatically called via the host APIs.", shutdown.Token));
            requestedRuns.Add(run);
            _ = run.ContinueWith(
                done => { lock (requestedRuns) { requestedRuns.Remove(done); } },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await shutdown.CancelAsync();
        await base.StopAsync(cancellationToken);
        Task[] running;
        lock (requestedRuns)
        {
            running = [.. requestedRuns];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        shutdown.Dispose();
        gate.Dispose();
        base.Dispose();
    }

    /// <summary>The first occurrence is fixed when the host starts, before it reports started.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lock (statusLock)
        {
            nextOccurrence = function.Schedule.GetNextOccurrence(time.GetUtcNow(), time.LocalTimeZone);
        }

        LogScheduled(function.Name, function.Schedule.Expression, nextOccurrence);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var zone = time.LocalTimeZone;
        if (function.RunOnStartup)
        {
            await RunAsync(new TimerInfo { ScheduleStatus = Status(time.GetUtcNow()), IsPastDue = false }, "Timer fired at startup (runOnStartup)", stoppingToken);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset due;
                lock (statusLock)
                {
                    due = nextOccurrence;
                }

                TimeSpan remaining;
                while ((remaining = due - time.GetUtcNow()) > TimeSpan.Zero)
                {
                    await Task.Delay(remaining < LongestWait ? remaining : LongestWait, time, stoppingToken);
                }

                var now = time.GetUtcNow();
                var following = function.Schedule.GetNextOccurrence(due, zone);

                // Past due: a later occurrence has passed too (a run held the gate, or the clock jumped).
                var info = new TimerInfo
                {
                    IsPastDue = following <= now,
                    ScheduleStatus = new ScheduleStatus
                    {
                        Last = Local(lastOccurrence, zone),
                        Next = Local(following, zone),
                        LastUpdated = Local(now, zone),
                    },
                };

                await RunAsync(info, "Timer fired at " + due.ToString("O", CultureInfo.InvariantCulture), stoppingToken);

                // Occurrences missed during the run are skipped, as in the host; one due right now is not missed.
                var after = time.GetUtcNow();
                lock (statusLock)
                {
                    lastOccurrence = due;
                    nextOccurrence = following < after ? function.Schedule.GetNextOccurrence(after, zone) : following;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private ScheduleStatus Status(DateTimeOffset now)
    {
        var zone = time.LocalTimeZone;
        lock (statusLock)
        {
            return new ScheduleStatus { Last = Local(lastOccurrence, zone), Next = Local(nextOccurrence, zone), LastUpdated = Local(now, zone) };
        }
    }

    /// <summary>Runs the function once, after any run in progress; logs the outcome and never throws (except on shutdown).</summary>
    private async Task RunAsync(TimerInfo timer, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var invocationId = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();
        using var logScope = logger.BeginScope(new InvocationScope(function.Name, invocationId));
        try
        {
            LogExecuting(function.Name, reason, invocationId, timer.IsPastDue);
            await using var scope = services.CreateAsyncScope();
            await function.Invoker.InvokeAsync(scope.ServiceProvider, new InvocationContext(null, timer, cancellationToken));
            var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSucceeded(function.Name, invocationId, durationMs);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFailed(e, function.Name, invocationId, durationMs);
        }
        catch (OperationCanceledException)
        {
            LogCanceled(function.Name, invocationId);
        }
        finally
        {
            gate.Release();
        }
    }

    private static DateTime Local(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } value ? TimeZoneInfo.ConvertTime(value, zone).DateTime : default;

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} scheduled '{Schedule}'; next occurrence {Next:O}")]
    private partial void LogScheduled(string function, string schedule, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing '{Function}' (Reason='{Reason}', Id={InvocationId}, IsPastDue={IsPastDue})")]
    private partial void LogExecuting(string function, string reason, Guid invocationId, bool isPastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed '{Function}' (Succeeded, Id={InvocationId}, Duration={DurationMs}ms)")]
    private partial void LogSucceeded(string function, Guid invocationId, long durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed '{Function}' (Failed, Id={InvocationId}, Duration={DurationMs}ms)")]
    private partial void LogFailed(Exception exception, string function, Guid invocationId, long durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing '{Function}' canceled: the host is stopping (Id={InvocationId})")]
    private partial void LogCanceled(string function, Guid invocationId);
}

using Azure.Core.Pipeline;
using InnovationZones.DevHost;
using InnovationZones.Storage;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// Azurite's table service for the whole test run: the one already listening on 127.0.0.1:10002 (as
/// .ci/run and the dev host start it), or one started the dev host's way (npm ci on first use), in
/// memory. It starts on the first call that needs storage (<see cref="NewStorageOptions"/>,
/// <see cref="NewTables"/>), so the unit tier never waits for it, and stops when the test process exits.
/// Tests share the service, never data: each takes its own table prefix, so classes run in parallel.
/// </summary>
public static class AzuriteFixture
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly Lazy<Task> Running = new(StartAsync);

    /// <summary>Storage options with a table prefix no other test uses, on a running Azurite.</summary>
    public static StorageOptions NewStorageOptions()
    {
        EnsureRunning();
        return new()
        {
            ConnectionString = ConnectionString,
            TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
        };
    }

    /// <summary>
    /// A fresh, empty set of the app's tables under a prefix of its own, or the tables of <paramref name="options"/>;
    /// their requests go through <paramref name="transport"/> when given (a test that counts them).
    /// </summary>
    public static Tables NewTables(StorageOptions? options = null, HttpPipelineTransport? transport = null)
    {
        options ??= NewStorageOptions();
        return new Tables(Extensions.CreateTableServiceClient(options, transport: transport), Options.Create(options));
    }

    /// <summary>Waits until Azurite listens; the first caller starts it, off the test's synchronization context.</summary>
    private static void EnsureRunning()
    {
        if (!Running.IsValueCreated || !Running.Value.IsCompletedSuccessfully)
        {
            Task.Run(() => Running.Value).GetAwaiter().GetResult();
        }
    }

    private static async Task StartAsync()
    {
        var azurite = await Azurite.EnsureRunningAsync(TextWriter.Null, CancellationToken.None, inMemory: true);
        RunEnd.Register(() => azurite.DisposeAsync().AsTask());
    }
}

/// <summary>
/// The classes that must not run beside others: they listen to process-wide telemetry or measure time
/// under load. xunit runs this collection alone, after the parallel ones; every other class runs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "Serial";
}

/// <summary>
/// What the test run starts once and stops when the test process exits, last started first stopped: a
/// shared server deletes its tables before the Azurite that holds them stops.
/// </summary>
public static class RunEnd
{
    private static readonly Stack<Func<Task>> Stops = new();

    public static void Register(Func<Task> stop)
    {
        lock (Stops)
        {
            if (Stops.Count == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
            }

            Stops.Push(stop);
        }
    }

    private static void StopAll()
    {
        while (true)
        {
            Func<Task>? stop;
            lock (Stops)
            {
                if (!Stops.TryPop(out stop))
                {
                    return;
                }
            }

            stop().GetAwaiter().GetResult();
        }
    }
}

public static class RepoRoot
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Functions.sln.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using InnovationZones.DevHost;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Benchmarks;

/// <summary>What every subcommand shares: the repository, options, the app's services, the dev host, figures.</summary>
internal static class Bench
{
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The app's own service registration over the tables of <paramref name="prefix"/>; a counter, when given, sees every storage request (retries included).</summary>
    public static ServiceProvider Services(int port, string prefix, RequestCounter? counter = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = LocalAzurite.ConnectionString(port),
            ["Storage:TablePrefix"] = prefix,
            ["Storage:NetworkTimeoutSeconds"] = "30",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddInnovationZones();
        if (counter is not null)
        {
            var options = new TableClientOptions();
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            services.Replace(ServiceDescriptor.Singleton(new TableServiceClient(LocalAzurite.ConnectionString(port), options)));
        }

        return services.BuildServiceProvider();
    }

    /// <summary>The dev host, in this process, on 127.0.0.1 and a free port, over the tables of <paramref name="prefix"/>; timers never fire.</summary>
    public static async Task<WebApplication> StartDevHostAsync(int port, string prefix, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var options = new DevHostOptions { Urls = "http://127.0.0.1:0" };
        foreach (var (key, value) in DevHostSettings(port, prefix).Concat(settings ?? []))
        {
            options.Settings[key] = value;
        }

        var app = DevHostApp.Build(options);
        await app.StartAsync();
        return app;
    }

    public const string NeverReached = "1000000000";

    /// <summary>Settings for a dev host over the bench's Azurite: its tables, no timer runs, warnings only in the log.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> DevHostSettings(int port, string prefix) =>
    [
        new("Storage:ConnectionString", LocalAzurite.ConnectionString(port)),
        new("Storage:TablePrefix", prefix),
        new("AggregatesSchedule", "0 0 0 1 1 *"),
        new("AggregatesFullSchedule", "0 0 0 1 1 *"),
        // Every request comes from this process, one client: a budget it never reaches keeps the limiter's cost
        // in every figure without its 429s (the ratelimit command measures those).
        new("Api:RateLimits:Reads:PermitsPerMinute", NeverReached),
        new("Api:RateLimits:Writes:PermitsPerMinute", NeverReached),
        new("Api:RateLimits:Exports:PermitsPerMinute", NeverReached),
        new("Logging:LogLevel:Default", "Warning"),
        new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"),
    ];

    public static Uri BaseAddress(WebApplication app) => new(app.Urls.First().TrimEnd('/') + "/");

    /// <summary>An HTTP client over real sockets, with connections enough for the concurrency the benchmarks use.</summary>
    public static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static readonly HashSet<(int Port, string Prefix)> Loaded = [];

    /// <summary>The table prefix of the synthetic data set of <paramref name="organizations"/>, shared by the benchmarks that read it.</summary>
    public static string DataPrefix(int organizations) => "synthetic" + organizations.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Loads the synthetic data of <paramref name="organizations"/> with the raw loader, unless this process
    /// already loaded it into that Azurite (under <c>all</c>, benchmarks share one): the entities written
    /// and the time it took, or null when it was there already.
    /// </summary>
    public static async Task<(long Entities, TimeSpan Elapsed)?> LoadAsync(int port, string prefix, int organizations)
    {
        if (!Loaded.Add((port, prefix)))
        {
            return null;
        }

        await using var services = Services(port, prefix);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var written = await new RawLoader(services.GetRequiredService<Tables>()).LoadAsync(SyntheticData.Chunks(organizations));
        Console.Error.WriteLine($"raw-loaded {organizations:N0} organizations ({written:N0} entities) into {prefix}* in {started.Elapsed.TotalSeconds:0} s");
        return (written, started.Elapsed);
    }

    public static string Machine(string repositoryRoot)
    {
        var azurite = "Azurite";
        var package = Path.Combine(repositoryRoot, "node_modules", "azurite", "package.json");
        if (File.Exists(package) && JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>() is { } version)
        {
            azurite += " " + version;
        }

        return $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}; {azurite} (in memory)";
    }

    public static string Option(string[] args, string name, string defaultValue)
    {
        var index = Array.IndexOf(args, name);
        return index < 0 ? defaultValue : index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    public static int Int(string[] args, string name, int defaultValue) =>
        int.Parse(Option(args, name, defaultValue.ToString(CultureInfo.InvariantCulture)), NumberStyles.None, CultureInfo.InvariantCulture);

    public static List<int> Sizes(string[] args, string name, string defaultValue) =>
        [.. Option(args, name, defaultValue).Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))];

    /// <summary>A Markdown table: it reads in a terminal and goes into docs/benchmarks.md as it is.</summary>
    public static void Table(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        output.WriteLine("| " + string.Join(" | ", headers) + " |");
        output.WriteLine("|" + string.Concat(headers.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            output.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        output.WriteLine();
    }

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Met(bool met) => met ? "met" : "**missed**";
}

/// <summary>
/// Counts and times the storage requests a client sends, every attempt included (added per retry to its
/// pipeline), by kind: a query (a GET with a filter, each page a request), a point read (a GET by both
/// keys), a transaction (<c>$batch</c>), and anything else (table creation, single writes).
/// </summary>
internal sealed class RequestCounter : HttpPipelinePolicy
{
    public enum Kind
    {
        Query,
        PointRead,
        Transaction,
        Other,
    }

    public static readonly IReadOnlyList<Kind> Kinds = Enum.GetValues<Kind>();

    private readonly long[] counts = new long[Kinds.Count];
    private readonly long[] ticks = new long[Kinds.Count];

    public long Count => Kinds.Sum(k => Interlocked.Read(ref counts[(int)k]));

    public long CountOf(Kind kind) => Interlocked.Read(ref counts[(int)kind]);

    /// <summary>The mean time from sending a request of <paramref name="kind"/> to its response, in milliseconds (0 when none was sent).</summary>
    public double MeanMilliseconds(Kind kind) =>
        CountOf(kind) == 0 ? 0 : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks[(int)kind])).TotalMilliseconds / CountOf(kind);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Record(message.Request, started);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Record(message.Request, started);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Transactions, long Operations)> transactionsByTable = new(StringComparer.Ordinal);

    /// <summary>Per table (the prefix taken off), the transactions sent and the operations they held.</summary>
    public IReadOnlyDictionary<string, (long Transactions, long Operations)> TransactionsByTable => transactionsByTable;

    private void Record(Request request, long started)
    {
        var kind = Classify(request);
        Interlocked.Increment(ref counts[(int)kind]);
        Interlocked.Add(ref ticks[(int)kind], Stopwatch.GetTimestamp() - started);
        if (kind == Kind.Transaction && request.Content is { } content)
        {
            // The changeset names its table in every operation's URL: "PUT http://host/account/{table}(PartitionKey=...",
            // "POST http://host/account/{table}?$format=...".
            using var body = new MemoryStream();
            content.WriteTo(body, CancellationToken.None);
            var operations = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.UTF8.GetString(body.ToArray()), @"^(?:PUT|PATCH|POST|DELETE|MERGE) \S*/([A-Za-z0-9]+)[( ?]", System.Text.RegularExpressions.RegexOptions.Multiline);
            var table = operations.Count == 0 ? "?" : operations[0].Groups[1].Value;
            transactionsByTable.AddOrUpdate(table, (1, operations.Count), (_, was) => (was.Transactions + 1, was.Operations + operations.Count));
        }
    }

    private static Kind Classify(Request request)
    {
        var path = request.Uri.Path;
        if (request.Method == RequestMethod.Post && path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return Kind.Transaction;
        }

        if (request.Method != RequestMethod.Get)
        {
            return Kind.Other;
        }

        return path.Contains("PartitionKey=", StringComparison.Ordinal) ? Kind.PointRead : Kind.Query;
    }
}

/// <summary>Latency figures of a set of timed requests, in milliseconds (nearest-rank percentiles).</summary>
internal readonly record struct Latencies(int Count, double P50, double P99, double Mean)
{
    public static Latencies From(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? default
            : new Latencies(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Average());
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

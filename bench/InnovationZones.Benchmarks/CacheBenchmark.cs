using System.Globalization;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The read cache, in one run over the same tables: two dev hosts in this process, one with the cache on
/// (the default bound) and one with it off (<c>Storage:ReadCacheSeconds=0</c>), beside a raw TableClient.
/// (1) Hot GETs by id: a hot set of organizations read again and again, raw point read, cache off and cache
/// on in alternating rounds. (2) The mixed load (<see cref="LoadLoop"/>) on each host, with the storage
/// requests it caused per 1,000 API requests, counted from the Azure SDK's own events.
/// </summary>
internal static class CacheBenchmark
{
    private const int Rounds = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 100_000);
        var hot = Bench.Int(args, "--hot", 1_000);
        var requests = Bench.Int(args, "--requests", 10_000);
        var concurrency = Bench.Int(args, "--concurrency", 16);
        var seconds = Bench.Int(args, "--seconds", 10);
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);
        await using var services = Bench.Services(azurite.Port, prefix);
        var run = await services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Console.Error.WriteLine($"aggregates computed: {run.Status}, {run.AggregatesWritten:N0} written in {run.DurationMs:0} ms");

        await using var onHost = await Bench.StartDevHostAsync(azurite.Port, prefix);
        await using var offHost = await Bench.StartDevHostAsync(azurite.Port, prefix, [new("Storage:ReadCacheSeconds", "0")]);
        using var on = Bench.Client(Bench.BaseAddress(onHost));
        using var off = Bench.Client(Bench.BaseAddress(offHost));
        var tables = services.GetRequiredService<Tables>();

        output.WriteLine($"### Read cache: {organizations:N0} organizations, cache on (bound {new StorageOptions().ReadCacheSeconds} s) against off and against storage");
        output.WriteLine();
        await HotReadsAsync(output, on, off, tables, organizations, hot, requests, concurrency);
        await MixedLoadAsync(output, on, off, prefix, seconds, concurrency);
        return 0;
    }

    private static async Task HotReadsAsync(TextWriter output, HttpClient on, HttpClient off, Tables tables, int organizations, int hot, int requests, int concurrency)
    {
        var random = new Random(SyntheticData.Seed);
        var hotSet = Enumerable.Range(0, hot).Select(_ => SyntheticData.OrganizationId(random.Next(organizations))).Distinct().ToArray();
        var ids = Enumerable.Range(0, requests).Select(_ => hotSet[random.Next(hotSet.Length)]).ToArray();
        Func<string, Task> raw = async id => _ = await tables.Organizations.FindMainAsync(id, CancellationToken.None)
            ?? throw new InvalidOperationException($"No organization {id}.");
        var sides = new (string Name, Func<string, Task> Read)[] { ("Raw TableClient point read", raw), ("API, cache off", ReadsBenchmark.GetOrganization(off)), ("API, cache on", ReadsBenchmark.GetOrganization(on)) };

        // Warm-up: every hot id once on each side (the cache on side then holds them, as a hot set would be held).
        foreach (var (_, read) in sides)
        {
            await ReadsBenchmark.TimedAsync(hotSet, concurrency, read);
        }

        var rounds = sides.ToDictionary(s => s.Name, _ => new List<(TimeSpan Elapsed, List<double> Ms)>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (name, read) in sides)
            {
                rounds[name].Add(await ReadsBenchmark.TimedAsync(ids, concurrency, read));
            }
        }

        var figures = sides.Select(s => (s.Name,
            PerSecond: rounds[s.Name].Sum(r => r.Ms.Count) / rounds[s.Name].Sum(r => r.Elapsed.TotalSeconds),
            Latency: Latencies.From(rounds[s.Name].SelectMany(r => r.Ms)))).ToList();
        var (rawFigure, onFigure) = (figures[0], figures[2]);
        output.WriteLine($"#### 1. Hot GET organization by id ({hotSet.Length:N0} hot ids of {organizations:N0}; {Rounds} × {requests:N0} requests a side, concurrency {concurrency}, sides alternating)");
        output.WriteLine();
        Bench.Table(output, ["Side", "Requests/s", "p50", "p99", "Throughput / raw", "p99 / raw"],
            [.. figures.Select(f => (IReadOnlyList<string>)[f.Name, f.PerSecond.ToString("N0", CultureInfo.InvariantCulture), Bench.Ms(f.Latency.P50), Bench.Ms(f.Latency.P99),
                Bench.Ratio(f.PerSecond / rawFigure.PerSecond), Bench.Ratio(f.Latency.P99 / rawFigure.Latency.P99)])]);
        var ratio = onFigure.PerSecond / rawFigure.PerSecond;
        output.WriteLine($"Targets: cache on at least 5× the raw point read's throughput: {Bench.Ratio(ratio)}, {Bench.Met(ratio >= 5)}; " +
            $"p99 no worse than raw: {Bench.Ms(onFigure.Latency.P99)} against {Bench.Ms(rawFigure.Latency.P99)}, {Bench.Met(onFigure.Latency.P99 <= rawFigure.Latency.P99)}.");
        output.WriteLine();
    }

    private static async Task MixedLoadAsync(TextWriter output, HttpClient on, HttpClient off, string prefix, int seconds, int concurrency)
    {
        var plan = await LoadPlan.DiscoverAsync(on);
        var duration = TimeSpan.FromSeconds(seconds);
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 1, 3));
        var results = new List<(string Name, LoadResult Result, long StorageRequests)>();
        using var storage = new StorageRequestCount(prefix);
        foreach (var (name, client) in new[] { ("cache off", off), ("cache on", on), ("cache off", off), ("cache on", on) })
        {
            await LoadLoop.RunAsync(client, plan, warmUp, concurrency, 1_000_000);
            storage.Reset();
            var result = await LoadLoop.RunAsync(client, plan, duration, concurrency, 5_000_000);
            results.Add((name, result, storage.Count));
        }

        output.WriteLine($"#### 2. Mixed load ({seconds} s a round, two rounds a side alternating, concurrency {concurrency}): ids, lists, stats and 304s");
        output.WriteLine();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in results.GroupBy(r => r.Name))
        {
            var sent = group.Sum(r => r.Result.Overall.Requests);
            var elapsed = group.Sum(r => r.Result.Elapsed.TotalSeconds);
            var errors = group.Sum(r => r.Result.Overall.Errors);
            var storageRequests = group.Sum(r => r.StorageRequests);
            var classes = Enum.GetValues<EndpointClass>().Select(c =>
                $"{LoadBenchmark.Name(c)} {Bench.Ms(Latencies.From(group.Select(r => r.Result.For(c).Latency.P50)).P50)}");
            rows.Add([group.Key, (sent / elapsed).ToString("N0", CultureInfo.InvariantCulture), errors.ToString("N0", CultureInfo.InvariantCulture),
                Bench.Ms(group.Average(r => r.Result.Overall.Latency.P50)), Bench.Ms(group.Average(r => r.Result.Overall.Latency.P99)),
                (1000.0 * storageRequests / sent).ToString("N0", CultureInfo.InvariantCulture), string.Join("; ", classes)]);
        }

        Bench.Table(output, ["Side", "Requests/s", "Errors", "p50", "p99", "Storage requests per 1,000 API requests", "p50 by class"], rows);
        output.WriteLine("Table Storage bills per transaction: the storage requests column is what 1,000 API requests cost a deployment.");
        output.WriteLine();
    }
}

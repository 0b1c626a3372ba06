using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Reads through the dev host (in this process, real HTTP over 127.0.0.1) against their storage baselines,
/// in the same run: (1) GET organization by id against a raw point read of the same entity; (2) page 50 of
/// a list against page 1; (3) the organizations of a zone at every size given, with the
/// raw partition query beside it.
/// </summary>
internal static class ReadsBenchmark
{
    private const string FilterPath = "api/v1/organizations?zone=" + SyntheticData.FixedZoneId;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var sizes = Bench.Sizes(args, "--organizations", "1000,10000,100000");
        var requests = Bench.Int(args, "--requests", 2_000);
        var concurrency = Bench.Int(args, "--concurrency", 8);
        var repeat = Bench.Int(args, "--repeat", 50);
        var largest = sizes.Max();
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        foreach (var size in sizes.Distinct().Order())
        {
            await Bench.LoadAsync(azurite.Port, Prefix(size), size);
        }

        output.WriteLine($"### Reads: {largest:N0} organizations (filter: {string.Join(", ", sizes.Distinct().Order().Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))})");
        output.WriteLine();
        await using (var host = await Bench.StartDevHostAsync(azurite.Port, Prefix(largest)))
        await using (var services = Bench.Services(azurite.Port, Prefix(largest)))
        {
            using var client = Bench.Client(Bench.BaseAddress(host));
            await PointReadsAsync(output, client, services.GetRequiredService<Tables>(), largest, requests, concurrency);
            await PagingAsync(output, client, largest, repeat);
        }

        var filtered = new List<(int Size, (Latencies Api, Latencies Raw) Figures)>();
        foreach (var size in sizes.Distinct().Order())
        {
            await using var host = await Bench.StartDevHostAsync(azurite.Port, Prefix(size));
            await using var services = Bench.Services(azurite.Port, Prefix(size));
            using var client = Bench.Client(Bench.BaseAddress(host));
            filtered.Add((size, await FilterAsync(client, services.GetRequiredService<Tables>(), repeat)));
        }

        PrintFilter(output, filtered);
        return 0;
    }

    private static string Prefix(int size) => Bench.DataPrefix(size);

    /// <summary>The same ids through HTTP and raw, at the same concurrency: warm-up, then raw, HTTP, raw, HTTP, each side's rounds pooled.</summary>
    private static async Task PointReadsAsync(TextWriter output, HttpClient client, Tables tables, int organizations, int requests, int concurrency)
    {
        var random = new Random(SyntheticData.Seed);
        var ids = Enumerable.Range(0, requests).Select(_ => SyntheticData.OrganizationId(random.Next(organizations))).ToArray();
        var http = GetOrganization(client);
        Func<string, Task> raw = async id => _ = (await tables.Organizations.GetEntityAsync<TableEntity>(id, Keys.MainRowKey(id))).Value;

        var warmUp = ids.Take(Math.Min(200, ids.Length)).ToArray();
        await TimedAsync(warmUp, concurrency, raw);
        await TimedAsync(warmUp, concurrency, http);
        var rawRounds = new List<(TimeSpan Elapsed, List<double> Ms)>();
        var httpRounds = new List<(TimeSpan Elapsed, List<double> Ms)>();
        for (var round = 0; round < 2; round++)
        {
            rawRounds.Add(await TimedAsync(ids, concurrency, raw));
            httpRounds.Add(await TimedAsync(ids, concurrency, http));
        }

        var rawThroughput = rawRounds.Sum(r => r.Ms.Count) / rawRounds.Sum(r => r.Elapsed.TotalSeconds);
        var httpThroughput = httpRounds.Sum(r => r.Ms.Count) / httpRounds.Sum(r => r.Elapsed.TotalSeconds);
        var rawLatency = Latencies.From(rawRounds.SelectMany(r => r.Ms));
        var httpLatency = Latencies.From(httpRounds.SelectMany(r => r.Ms));
        output.WriteLine($"#### 1. GET organization by id against a raw point read ({2 * requests:N0} requests each, concurrency {concurrency})");
        output.WriteLine();
        Bench.Table(output, ["Figure", "HTTP through the dev host", "Raw TableClient point read", "HTTP / raw", "Target"],
        [
            ["Throughput", $"{httpThroughput:N0} req/s", $"{rawThroughput:N0} req/s", Bench.Ratio(httpThroughput / rawThroughput), $">= 0.8: {Bench.Met(httpThroughput / rawThroughput >= 0.8)}"],
            ["p50 latency", Bench.Ms(httpLatency.P50), Bench.Ms(rawLatency.P50), Bench.Ratio(httpLatency.P50 / rawLatency.P50), ""],
            ["p99 latency", Bench.Ms(httpLatency.P99), Bench.Ms(rawLatency.P99), Bench.Ratio(httpLatency.P99 / rawLatency.P99), ""],
        ]);
    }

    /// <summary>Follows nextLink to page 50, then times GETs of page 1 and page 50, alternately.</summary>
    private static async Task PagingAsync(TextWriter output, HttpClient client, int organizations, int repeat)
    {
        var pageSize = Math.Clamp(organizations / 60, 1, 100);
        var first = $"api/v1/organizations?maxpagesize={pageSize}";
        var page50 = first;
        for (var page = 1; page < 50; page++)
        {
            page50 = (await GetJsonAsync(client, page50))["nextLink"]?.GetValue<string>()
                ?? throw new InvalidOperationException($"{first} has only {page} pages.");
        }

        await GetJsonAsync(client, first);
        await GetJsonAsync(client, page50);
        var (one, fifty) = (new List<double>(), new List<double>());
        for (var i = 0; i < repeat; i++)
        {
            one.Add(await TimeAsync(() => GetJsonAsync(client, first)));
            fifty.Add(await TimeAsync(() => GetJsonAsync(client, page50)));
        }

        var (p1, p50) = (Latencies.From(one), Latencies.From(fifty));
        output.WriteLine($"#### 2. Page 50 against page 1 (GET {first}, {repeat} of each, alternately, one at a time)");
        output.WriteLine();
        Bench.Table(output, ["Figure", "Page 50", "Page 1", "Page 50 / page 1", "Target"],
        [
            ["p50 latency", Bench.Ms(p50.P50), Bench.Ms(p1.P50), Bench.Ratio(p50.P50 / p1.P50), $"<= 1.2: {Bench.Met(p50.P50 / p1.P50 <= 1.2)}"],
            ["mean latency", Bench.Ms(p50.Mean), Bench.Ms(p1.Mean), Bench.Ratio(p50.Mean / p1.Mean), ""],
        ]);
    }

    private static async Task<(Latencies Api, Latencies Raw)> FilterAsync(HttpClient client, Tables tables, int repeat)
    {
        var index = tables.OrganizationIndex;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {OrganizationIndex.ZonePartition(SyntheticData.FixedZoneId)}");
        async Task<int> Raw()
        {
            var count = 0;
            await foreach (var entity in index.QueryAsync<TableEntity>(filter, 100))
            {
                count++;
            }

            return count;
        }

        var page = await GetJsonAsync(client, FilterPath);
        var items = page["value"]!.AsArray().Count;
        if (items != SyntheticData.FixedZoneMembers || page["nextLink"] is not null || await Raw() != SyntheticData.FixedZoneMembers)
        {
            throw new InvalidOperationException($"{FilterPath} answered {items} organizations; the zone holds {SyntheticData.FixedZoneMembers}.");
        }

        var (api, raw) = (new List<double>(), new List<double>());
        for (var i = 0; i < repeat; i++)
        {
            raw.Add(await TimeAsync(Raw));
            api.Add(await TimeAsync(() => GetJsonAsync(client, FilterPath)));
        }

        return (Latencies.From(api), Latencies.From(raw));
    }

    private static void PrintFilter(TextWriter output, List<(int Size, (Latencies Api, Latencies Raw) Figures)> measured)
    {
        var figures = measured.Select(m => (m.Size, m.Figures.Api, m.Figures.Raw)).ToList();
        var (small, large) = (figures[0], figures[^1]);
        output.WriteLine($"#### 3. Organizations of one zone ({SyntheticData.FixedZoneMembers} of them) at {string.Join(", ", figures.Select(f => f.Size.ToString("N0", CultureInfo.InvariantCulture)))} organizations (GET {FilterPath}, one at a time)");
        output.WriteLine();
        Bench.Table(output, ["Organizations", "API p50", "API mean", "Raw partition query p50 (Azurite baseline)", "Raw mean", "API / raw (p50)"],
            [.. figures.Select(f => (IReadOnlyList<string>)[f.Size.ToString("N0", CultureInfo.InvariantCulture), Bench.Ms(f.Api.P50), Bench.Ms(f.Api.Mean), Bench.Ms(f.Raw.P50), Bench.Ms(f.Raw.Mean), Bench.Ratio(f.Api.P50 / f.Raw.P50)]),
             [$"**{large.Size:N0} / {small.Size:N0}**", Bench.Ratio(large.Api.P50 / small.Api.P50), Bench.Ratio(large.Api.Mean / small.Api.Mean), Bench.Ratio(large.Raw.P50 / small.Raw.P50), Bench.Ratio(large.Raw.Mean / small.Raw.Mean), ""]]);
        var (ratio, rawRatio) = (large.Api.P50 / small.Api.P50, large.Raw.P50 / small.Raw.P50);
        output.WriteLine($"Target: the API's growth from {small.Size:N0} to {large.Size:N0} (p50) no worse than Azurite's own partition query over the same sizes: " +
            $"{Bench.Ratio(ratio)}x against {Bench.Ratio(rawRatio)}x, {Bench.Met(ratio <= rawRatio * 1.1)} (within 10 percent). Table Storage serves a partition from its index; Azurite filters the table.");
        output.WriteLine();
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>GET organization by id through <paramref name="client"/>, its whole body read; anything but 200 fails the benchmark.</summary>
    internal static Func<string, Task> GetOrganization(HttpClient client) => async id =>
    {
        using var response = await client.GetAsync("api/v1/organizations/" + id);
        _ = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET organization {id}: {(int)response.StatusCode}");
        }
    };

    /// <summary>Runs <paramref name="operation"/> once per item, <paramref name="concurrency"/> at a time: the elapsed time and each one's latency.</summary>
    internal static async Task<(TimeSpan Elapsed, List<double> Ms)> TimedAsync(string[] items, int concurrency, Func<string, Task> operation)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var ms = new List<double>();
            for (var i = Interlocked.Increment(ref next); i < items.Length; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                await operation(items[i]);
                ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return ms;
        })).ToArray();
        var all = (await Task.WhenAll(workers)).SelectMany(m => m).ToList();
        return (stopwatch.Elapsed, all);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace InnovationZones.Benchmarks;

/// <summary>
/// What keeping history costs a write, in one run: PATCHes of organizations (each one a real change, a new
/// name) through a dev host that records history and one that does not (<c>Storage:RecordHistory</c>),
/// over the same tables, in alternating rounds: throughput, latency, and storage requests per write,
/// counted from the Azure SDK's own events (every round-trip, transactions and retries included).
/// </summary>
internal static class HistoryBenchmark
{
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 1_000);
        var writes = Bench.Int(args, "--writes", 300);
        var concurrency = Bench.Int(args, "--concurrency", 8);

        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);

        await using var offHost = await Bench.StartDevHostAsync(azurite.Port, prefix, [new("Storage:RecordHistory", "false")]);
        await using var onHost = await Bench.StartDevHostAsync(azurite.Port, prefix);
        using var offClient = Bench.Client(Bench.BaseAddress(offHost));
        using var onClient = Bench.Client(Bench.BaseAddress(onHost));
        using var requests = new StorageRequestCount(prefix);

        var ids = Enumerable.Range(0, Math.Min(organizations, writes)).Select(SyntheticData.OrganizationId).ToArray();
        await WritesAsync(offClient, ids, Math.Min(writes, 50), concurrency, "warm-up off");
        await WritesAsync(onClient, ids, Math.Min(writes, 50), concurrency, "warm-up on");

        var results = new Dictionary<string, List<(double PerSecond, Latencies Latency, double Requests)>> { ["off"] = [], ["on"] = [] };
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (name, client) in new[] { ("off", offClient), ("on", onClient) })
            {
                requests.Reset();
                var (elapsed, latency) = await WritesAsync(client, ids, writes, concurrency, $"{name} round {round}");
                results[name].Add((writes / elapsed.TotalSeconds, latency, (double)requests.Count / writes));
            }
        }

        output.WriteLine($"### History: what it costs a write ({organizations:N0} organizations, {writes:N0} PATCHes a round, concurrency {concurrency}, {Rounds} rounds each, alternating)");
        output.WriteLine();
        Bench.Table(output, ["History", "Writes/s (median round)", "p50", "p99", "Storage requests a write"],
            results.Select(r => (IReadOnlyList<string>)[
                r.Key == "off" ? "off (baseline)" : "on (history row + change feed)",
                Median(r.Value.Select(v => v.PerSecond)).ToString("N0", CultureInfo.InvariantCulture),
                Bench.Ms(Median(r.Value.Select(v => v.Latency.P50))),
                Bench.Ms(Median(r.Value.Select(v => v.Latency.P99))),
                Median(r.Value.Select(v => v.Requests)).ToString("0.00", CultureInfo.InvariantCulture)]));
        output.WriteLine($"Write throughput with history on against off: {Bench.Ratio(Median(results["on"].Select(v => v.PerSecond)) / Median(results["off"].Select(v => v.PerSecond)))}; "
            + $"storage requests a write: +{Median(results["on"].Select(v => v.Requests)) - Median(results["off"].Select(v => v.Requests)):0.00}.");
        output.WriteLine();
        return 0;
    }

    private static async Task<(TimeSpan Elapsed, Latencies Latency)> WritesAsync(HttpClient client, string[] ids, int count, int concurrency, string label)
    {
        var latencies = new double[count];
        var next = -1;
        var failures = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) < count;)
            {
                // Each write names the organization anew, so it is a change (an unchanged write records nothing).
                var name = $"Organization {ids[n % ids.Length]} ({label}, {n})";
                using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/organizations/{ids[n % ids.Length]}")
                {
                    Content = new StringContent($$"""{"name": "{{name}}"}""", Encoding.UTF8, "application/merge-patch+json"),
                };
                var started = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request);
                latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} writes failed ({label}).");
        }

        return (stopwatch.Elapsed, Latencies.From(latencies));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

using Azure.Data.Tables;
using InnovationZones.DevHost;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// What the real Functions host costs a read: GET organization by id through the real host (<c>func
/// start</c> on the function app's build, so a proxy hop from the host to the worker), through the dev host
/// (in this process) and as a raw point read of the same entity, over the same ids, in one run: hot (a few
/// ids read again and again, from the read cache) and cold (ids read once, from storage).
/// </summary>
internal static class HostsBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 10_000);
        var requests = Bench.Int(args, "--requests", 2_000);
        var concurrency = Bench.Int(args, "--concurrency", 8);
        var root = Bench.RepositoryRoot();
        var func = FunctionsHostProcess.FindFunc(root);
        if (func is null)
        {
            output.WriteLine("hosts: no func. " + FunctionsHostProcess.HowToGetFunc(root));
            return 2;
        }

        await using var azurite = await LocalAzurite.StartAsync(root);
        await using var hostStorage = await Azurite.StartFullAsync(root, TextWriter.Null, CancellationToken.None);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);

        var settings = Bench.DevHostSettings(azurite.Port, prefix).ToDictionary(s => s.Key, s => s.Value);
        settings["AzureWebJobsStorage"] = hostStorage.FullConnectionString;
        settings["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning";
        var binaries = Path.GetDirectoryName(typeof(HostsBenchmark).Assembly.Location)!;
        var scriptRoot = Path.Combine(root, "src", "InnovationZones.Functions", "bin",
            new DirectoryInfo(binaries).Parent!.Name, new DirectoryInfo(binaries).Name);

        await using var real = await FunctionsHostProcess.StartAsync(func, scriptRoot, settings, enableAuth: false, CancellationToken.None);
        await using var dev = await Bench.StartDevHostAsync(azurite.Port, prefix);
        await using var services = Bench.Services(azurite.Port, prefix);
        using var realClient = Bench.Client(real.BaseAddress);
        using var devClient = Bench.Client(Bench.BaseAddress(dev));
        var tables = services.GetRequiredService<Tables>();

        var random = new Random(SyntheticData.Seed);

        // Hot: a small set of ids read again and again (each host's read cache holds them after the warm-up).
        // Cold: ids read once each, never before on any side, so every GET is a miss and reads storage.
        var hotSet = Enumerable.Range(0, Math.Min(200, organizations)).Select(_ => SyntheticData.OrganizationId(random.Next(organizations))).Distinct().ToArray();
        var hot = Enumerable.Range(0, requests).Select(_ => hotSet[random.Next(hotSet.Length)]).ToArray();
        var unread = new Queue<string>(Enumerable.Range(0, organizations).Select(SyntheticData.OrganizationId)
            .Where(id => !hotSet.Contains(id)).OrderBy(_ => random.Next()));
        var coldSize = Math.Min(requests, unread.Count / 6);
        Func<string, Task> raw = async id => _ = (await tables.Organizations.GetEntityAsync<TableEntity>(id, Keys.MainRowKey(id))).Value;
        var sides = new (string Name, Func<string, Task> Read)[] { ("raw", raw), ("dev", ReadsBenchmark.GetOrganization(devClient)), ("real", ReadsBenchmark.GetOrganization(realClient)) };

        foreach (var (_, read) in sides)
        {
            await ReadsBenchmark.TimedAsync(hotSet, concurrency, read);
        }

        var rounds = new Dictionary<(string Side, string Kind), List<(TimeSpan Elapsed, List<double> Ms)>>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var (name, read) in sides)
            {
                foreach (var (kind, ids) in new[] { ("hot", hot), ("cold", Enumerable.Range(0, coldSize).Select(_ => unread.Dequeue()).ToArray()) })
                {
                    var list = rounds.TryGetValue((name, kind), out var existing) ? existing : rounds[(name, kind)] = [];
                    list.Add(await ReadsBenchmark.TimedAsync(ids, concurrency, read));
                }
            }
        }

        double Throughput(string name, string kind) => rounds[(name, kind)].Sum(r => r.Ms.Count) / rounds[(name, kind)].Sum(r => r.Elapsed.TotalSeconds);
        Latencies Latency(string name, string kind) => Latencies.From(rounds[(name, kind)].SelectMany(r => r.Ms));
        output.WriteLine($"### The real Functions host: GET organization by id, {organizations:N0} organizations, hot ({hotSet.Length} ids, {2 * requests:N0} requests a side) and cold ({2 * coldSize:N0} ids read once each a side), concurrency {concurrency}");
        output.WriteLine();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kind in new[] { "hot", "cold" })
        {
            var (rawL, devL, realL) = (Latency("raw", kind), Latency("dev", kind), Latency("real", kind));
            rows.Add([$"{kind}: throughput", $"{Throughput("real", kind):N0} req/s", $"{Throughput("dev", kind):N0} req/s", $"{Throughput("raw", kind):N0} req/s",
                Bench.Ratio(Throughput("real", kind) / Throughput("dev", kind)), Bench.Ratio(Throughput("real", kind) / Throughput("raw", kind))]);
            rows.Add([$"{kind}: p50", Bench.Ms(realL.P50), Bench.Ms(devL.P50), Bench.Ms(rawL.P50), Bench.Ratio(realL.P50 / devL.P50), Bench.Ratio(realL.P50 / rawL.P50)]);
            rows.Add([$"{kind}: p99", Bench.Ms(realL.P99), Bench.Ms(devL.P99), Bench.Ms(rawL.P99), Bench.Ratio(realL.P99 / devL.P99), Bench.Ratio(realL.P99 / rawL.P99)]);
        }

        Bench.Table(output, ["Figure", "Real host (func)", "Dev host", "Raw point read", "Real / dev", "Real / raw"], rows);
        output.WriteLine("Both hosts run the read cache as deployed (on, 5 s): hot GETs are answered from memory, cold ones read storage.");
        output.WriteLine();
        return 0;
    }
}

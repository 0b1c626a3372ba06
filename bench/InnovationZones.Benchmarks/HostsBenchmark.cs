using Azure.Data.Tables;
using InnovationZones.DevHost;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// What the real Functions host costs a read: GET organization by id through the real host (<c>func
/// start</c> on the function app's build, so a proxy hop from the host to the worker), through the dev host
/// (in this process) and as a raw point read of the same entity, over the same ids, in one run.
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
        var ids = Enumerable.Range(0, requests).Select(_ => SyntheticData.OrganizationId(random.Next(organizations))).ToArray();
        Func<string, Task> Http(HttpClient client) => async id =>
        {
            using var response = await client.GetAsync("api/v1/organizations/" + id);
            _ = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET organization {id}: {(int)response.StatusCode}");
            }
        };
        Func<string, Task> raw = async id => _ = (await tables.Organizations.GetEntityAsync<TableEntity>(id, Keys.MainRowKey(id))).Value;
        var sides = new (string Name, Func<string, Task> Read)[] { ("raw", raw), ("dev", Http(devClient)), ("real", Http(realClient)) };

        var warmUp = ids.Take(Math.Min(300, ids.Length)).ToArray();
        foreach (var (_, read) in sides)
        {
            await ReadsBenchmark.TimedAsync(warmUp, concurrency, read);
        }

        var rounds = sides.ToDictionary(s => s.Name, _ => new List<(TimeSpan Elapsed, List<double> Ms)>());
        for (var round = 0; round < 2; round++)
        {
            foreach (var (name, read) in sides)
            {
                rounds[name].Add(await ReadsBenchmark.TimedAsync(ids, concurrency, read));
            }
        }

        double Throughput(string name) => rounds[name].Sum(r => r.Ms.Count) / rounds[name].Sum(r => r.Elapsed.TotalSeconds);
        Latencies Latency(string name) => Latencies.From(rounds[name].SelectMany(r => r.Ms));
        var (rawL, devL, realL) = (Latency("raw"), Latency("dev"), Latency("real"));
        output.WriteLine($"### The real Functions host: GET organization by id, {organizations:N0} organizations ({2 * requests:N0} requests each, concurrency {concurrency})");
        output.WriteLine();
        Bench.Table(output, ["Figure", "Real host (func)", "Dev host", "Raw point read", "Real / dev", "Real / raw"],
        [
            ["Throughput", $"{Throughput("real"):N0} req/s", $"{Throughput("dev"):N0} req/s", $"{Throughput("raw"):N0} req/s",
                Bench.Ratio(Throughput("real") / Throughput("dev")), Bench.Ratio(Throughput("real") / Throughput("raw"))],
            ["p50 latency", Bench.Ms(realL.P50), Bench.Ms(devL.P50), Bench.Ms(rawL.P50), Bench.Ratio(realL.P50 / devL.P50), Bench.Ratio(realL.P50 / rawL.P50)],
            ["p99 latency", Bench.Ms(realL.P99), Bench.Ms(devL.P99), Bench.Ms(rawL.P99), Bench.Ratio(realL.P99 / devL.P99), Bench.Ratio(realL.P99 / rawL.P99)],
        ]);
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Bulk import through the app's import path (the registered <see cref="DatasetImporter"/>, as
/// <c>POST v1/import</c> runs it, dirty marks included) into empty tables, against the
/// <see cref="RawLoader"/> writing the same entities into other empty tables, in the same run; with the
/// storage requests each sent, counted by a pipeline policy on its client.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 2_000);
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var chunks = SyntheticData.Chunks(organizations).ToList();

        // Not measured: both paths once over a small dataset of their own, so neither pays for a cold Azurite or JIT.
        await using (var warmUp = Bench.Services(azurite.Port, "warmraw"))
        {
            await new RawLoader(warmUp.GetRequiredService<Tables>()).LoadAsync(SyntheticData.Chunks(100));
        }

        await using (var warmUp = Bench.Services(azurite.Port, "warmapp"))
        {
            foreach (var chunk in SyntheticData.Chunks(100))
            {
                await warmUp.GetRequiredService<DatasetImporter>().ImportAsync(chunk);
            }
        }

        var rawCounter = new RequestCounter();
        await using var rawServices = Bench.Services(azurite.Port, "importraw", rawCounter);
        var rawTables = rawServices.GetRequiredService<Tables>();
        var stopwatch = Stopwatch.StartNew();
        await new RawLoader(rawTables).LoadAsync(chunks);
        var rawTime = stopwatch.Elapsed;
        var rawRequests = rawCounter.Count;
        Console.Error.WriteLine($"raw loader: {rawTime.TotalSeconds:0.0} s");

        var appCounter = new RequestCounter();
        await using var appServices = Bench.Services(azurite.Port, "importapp", appCounter);
        var appTables = appServices.GetRequiredService<Tables>();
        var importer = appServices.GetRequiredService<DatasetImporter>();
        stopwatch.Restart();
        foreach (var chunk in chunks)
        {
            await importer.ImportAsync(chunk);
            Console.Error.WriteLine($"importer: {chunk.Organizations?.Count ?? 0} organizations, {stopwatch.Elapsed.TotalSeconds:0} s");
        }

        var appTime = stopwatch.Elapsed;
        var appRequests = appCounter.Count;

        var rawEntities = await CountAsync(rawTables, RawLoader.DataTables);
        var appEntities = await CountAsync(appTables, RawLoader.DataTables);
        var marks = await CountAsync(appTables, ["DirtyScopes"]);
        if (rawEntities != appEntities)
        {
            throw new InvalidOperationException($"The importer stored {appEntities} entities and the raw loader {rawEntities}: they did not write the same entities.");
        }

        var (appRate, rawRate) = (appEntities / appTime.TotalSeconds, rawEntities / rawTime.TotalSeconds);
        var perThousand = 1000.0 / organizations;
        output.WriteLine($"### Import: {organizations:N0} organizations ({appEntities:N0} entities in {RawLoader.DataTables.Count} tables, {chunks.Count} datasets)");
        output.WriteLine();
        Bench.Table(output, ["Figure", "App import (DatasetImporter)", "Raw 100-entity batched upserts", "App / raw", "Target"],
        [
            ["Time", $"{appTime.TotalSeconds:0.0} s", $"{rawTime.TotalSeconds:0.0} s", Bench.Ratio(appTime / rawTime), ""],
            ["Entities/s", appRate.ToString("N0", CultureInfo.InvariantCulture), rawRate.ToString("N0", CultureInfo.InvariantCulture), Bench.Ratio(appRate / rawRate), $">= 0.8: {Bench.Met(appRate / rawRate >= 0.8)}"],
            ["Storage requests per 1,000 organizations", (appRequests * perThousand).ToString("N0", CultureInfo.InvariantCulture), (rawRequests * perThousand).ToString("N0", CultureInfo.InvariantCulture), Bench.Ratio((double)appRequests / rawRequests), ""],
        ]);
        output.WriteLine($"Both wrote the same {appEntities:N0} entities (counted per table after the run; the suite's RawLoaderTests compares their contents). " +
            $"The import also marked {marks:N0} aggregate scopes dirty, as every write does; the raw loader marks none. Requests include retries and the tables' creation.");
        output.WriteLine();
        return 0;
    }

    private static async Task<long> CountAsync(Tables tables, IEnumerable<string> names)
    {
        long count = 0;
        foreach (var name in names)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }
        }

        return count;
    }
}

using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Bulk import through the app's import path (the registered <see cref="DatasetImporter"/>, as
/// <c>POST v1/import</c> runs it, dirty marks included) into empty tables, against the
/// <see cref="RawLoader"/> writing the same entities into other empty tables, in the same run, the two
/// taking turns dataset by dataset; with the storage requests each sent, counted by a pipeline policy on its client.
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

        // The two sides take turns, dataset by dataset, each into tables of its own: whatever else the machine
        // does while they run, both see it alike, and each side's tables grow as they would alone.
        var rawCounter = new RequestCounter();
        await using var rawServices = Bench.Services(azurite.Port, "importraw", rawCounter);
        var rawTables = rawServices.GetRequiredService<Tables>();
        var rawLoader = new RawLoader(rawTables);
        await rawTables.CreateIfNotExistsAsync();
        var appCounter = new RequestCounter();
        await using var appServices = Bench.Services(azurite.Port, "importapp", appCounter);
        var appTables = appServices.GetRequiredService<Tables>();
        var importer = appServices.GetRequiredService<DatasetImporter>();
        var (rawTime, appTime) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var chunk in chunks)
        {
            var started = Stopwatch.GetTimestamp();
            await rawLoader.LoadChunkAsync(chunk);
            var raw = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            await importer.ImportAsync(chunk);
            var app = Stopwatch.GetElapsedTime(started);
            (rawTime, appTime) = (rawTime + raw, appTime + app);
            Console.Error.WriteLine($"{chunk.Organizations?.Count ?? 0} organizations: raw loader {raw.TotalSeconds:0.0} s, importer {app.TotalSeconds:0.0} s; so far {rawTime.TotalSeconds:0} s and {appTime.TotalSeconds:0} s");
        }

        var rawRequests = rawCounter.Count;
        var appRequests = appCounter.Count;

        // The figures come first, from the entities the raw loader wrote: counting the tables' rows back takes
        // longer than the import itself at 100,000 organizations on Azurite (a filtered scan of every table).
        var entities = rawLoader.EntitiesWritten;
        var (appRate, rawRate) = (entities / appTime.TotalSeconds, entities / rawTime.TotalSeconds);
        var perThousand = 1000.0 / organizations;
        output.WriteLine($"### Import: {organizations:N0} organizations ({entities:N0} entities in {RawLoader.DataTables.Count} tables, {chunks.Count} datasets)");
        output.WriteLine();
        Bench.Table(output, ["Figure", "App import (DatasetImporter)", "Raw 100-entity batched upserts", "App / raw", "Target"],
        [
            ["Time", $"{appTime.TotalSeconds:0.0} s", $"{rawTime.TotalSeconds:0.0} s", Bench.Ratio(appTime / rawTime), ""],
            ["Entities/s", appRate.ToString("N0", CultureInfo.InvariantCulture), rawRate.ToString("N0", CultureInfo.InvariantCulture), Bench.Ratio(appRate / rawRate), $">= 0.8: {Bench.Met(appRate / rawRate >= 0.8)}"],
            ["Storage requests per 1,000 organizations", (appRequests * perThousand).ToString("N0", CultureInfo.InvariantCulture), (rawRequests * perThousand).ToString("N0", CultureInfo.InvariantCulture), Bench.Ratio((double)appRequests / rawRequests), ""],
            .. RequestCounter.Kinds.Select(kind => (IReadOnlyList<string>)
            [
                $"- {Describe(kind)}: per 1,000 organizations; mean time each",
                $"{appCounter.CountOf(kind) * perThousand:N0}; {Bench.Ms(appCounter.MeanMilliseconds(kind))}",
                $"{rawCounter.CountOf(kind) * perThousand:N0}; {Bench.Ms(rawCounter.MeanMilliseconds(kind))}",
                "",
                "",
            ]),
        ]);

        output.WriteLine("Transactions per 1,000 organizations by table (and the operations each holds on average):");
        output.WriteLine();
        var (appByTable, rawByTable) = (ByTable(appCounter, "importapp"), ByTable(rawCounter, "importraw"));
        Bench.Table(output, ["Table", "App import", "Raw batches"],
            appByTable.Keys.Union(rawByTable.Keys).Order(StringComparer.Ordinal).Select(table => (IReadOnlyList<string>)
                [table, Transactions(appByTable, table, perThousand), Transactions(rawByTable, table, perThousand)]));
        output.Flush();

        // What one request of each kind costs once the tables are full, sent one at a time (no queueing).
        var (query, point) = await ProbeAsync(appTables, organizations);
        output.WriteLine($"Requests include retries and the tables' creation; their mean time includes waiting behind the others in flight (Azurite answers one at a time). " +
            $"On the full tables, one at a time: an organization's relation partition (a query) takes {Bench.Ms(query)}, its point read {Bench.Ms(point)} (medians of 20).");
        output.Flush();

        // Then the check that both wrote the same entities. The importer also records each entity's creation
        // in a history row beside it (ChangeLog), in the same transaction; the raw loader writes none. The
        // live rows are the entities both wrote.
        var rawEntities = await CountAsync(rawTables, RawLoader.DataTables, ChangeLog.LiveRowsFilter);
        var appEntities = await CountAsync(appTables, RawLoader.DataTables, ChangeLog.LiveRowsFilter);
        if (rawEntities != entities || appEntities != entities)
        {
            throw new InvalidOperationException($"The raw loader wrote {entities} entities; its tables hold {rawEntities} and the importer's {appEntities}: they did not write the same entities.");
        }

        var history = await CountAsync(appTables, RawLoader.DataTables, TableClient.CreateQueryFilter($"RowKey ge {ChangeLog.LiveRowsEnd}"));
        var marks = await CountAsync(appTables, ["DirtyScopes"], null);
        output.WriteLine();
        output.WriteLine($"Both wrote the same {entities:N0} entities (live rows counted per table after the run; the suite's RawLoaderTests compares their contents). " +
            $"The importer also wrote {history:N0} history rows (each entity's creation, in the same transactions) and marked {marks:N0} aggregate scopes dirty, as every write does; the raw loader writes neither.");
        output.WriteLine();
        return 0;
    }

    /// <summary>A counter's transactions by table, named as the app names them (without the run's table prefix).</summary>
    private static Dictionary<string, (long Transactions, long Operations)> ByTable(RequestCounter counter, string prefix) =>
        counter.TransactionsByTable.ToDictionary(
            sent => sent.Key.StartsWith(prefix, StringComparison.Ordinal) ? sent.Key[prefix.Length..] : sent.Key, sent => sent.Value, StringComparer.Ordinal);

    private static string Transactions(Dictionary<string, (long Transactions, long Operations)> byTable, string table, double perThousand) =>
        byTable.TryGetValue(table, out var sent) && sent.Transactions > 0
            ? $"{sent.Transactions * perThousand:N0} ({(double)sent.Operations / sent.Transactions:0.0} each)"
            : "";

    private static string Describe(RequestCounter.Kind kind) => kind switch
    {
        RequestCounter.Kind.Query => "queries (pages)",
        RequestCounter.Kind.PointRead => "point reads",
        RequestCounter.Kind.Transaction => "transactions",
        _ => "other requests",
    };

    /// <summary>The median time of a relation-partition query and of a point read on the imported tables, 20 organizations, sequentially.</summary>
    private static async Task<(double Query, double Point)> ProbeAsync(Tables tables, int organizations)
    {
        var random = new Random(SyntheticData.Seed);
        var queries = new List<double>();
        var points = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var id = SyntheticData.OrganizationId(random.Next(organizations));
            var started = Stopwatch.GetTimestamp();
            await foreach (var row in tables.Relations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {RelationRecords.Partition(new EntityRef(EntityKind.Organization, id))}")))
            {
                _ = row;
            }

            queries.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            _ = await tables.Organizations.GetEntityIfExistsAsync<TableEntity>(id, Keys.MainRowKey(id));
            points.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (Latencies.From(queries).P50, Latencies.From(points).P50);
    }

    private static async Task<long> CountAsync(Tables tables, IEnumerable<string> names, string? filter)
    {
        long count = 0;
        foreach (var name in names)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>(filter, select: ["PartitionKey"]))
            {
                count++;
            }
        }

        return count;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The aggregates benchmark. For each size: loads synthetic data with the raw loader (the entities the
/// app's importer writes, in 100-entity transactions), then, in the
/// same run, measures (1) a full recompute against a raw page-by-page scan of the same tables, (2) the
/// peak memory of each, each in a child process of its own, and (3) an incremental run after one write
/// against a full run.
/// </summary>
internal static class AggregatesBenchmark
{
    public const string ChildCommand = "aggregates-child";

    /// <summary>The tables a full recompute reads: the raw scan reads each of them once, page by page.</summary>
    private static readonly string[] ScannedTables = ["Cities", "Zones", "ZoneIndex", "Organizations", "OrganizationIndex", "Relations", "Metrics", "Vocabulary"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var sizes = Bench.Sizes(args, "--organizations", "10000");

        // Above this size the raw scan and the full run each run once, in the child processes that measure
        // their memory, and the incremental run follows them: on Azurite every page of a query filters the
        // whole table, so each scan of 100,000 organizations takes many minutes, and the in-process runs
        // would repeat it four more times.
        var memoryOnlyAbove = Bench.Int(args, "--memory-only-above", 10_000);
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        output.WriteLine("```text");
        output.WriteLine($"Aggregates benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"Machine: {Bench.Machine(root)}");
        output.WriteLine($"Azurite (in memory) pid {azurite.ProcessId} on 127.0.0.1:{azurite.Port}; data seed {SyntheticData.Seed}");
        output.WriteLine();

        foreach (var organizations in sizes)
        {
            var prefix = Bench.DataPrefix(organizations);
            await using var services = Bench.Services(azurite.Port, prefix);
            var tables = services.GetRequiredService<Tables>();
            var importer = services.GetRequiredService<DatasetImporter>();
            var recompute = services.GetRequiredService<AggregatesRecompute>();

            // The bulk load writes the importer's entities directly and marks nothing dirty (the first full
            // run would clear it all); the measured write goes through the importer, as every write does.
            var load = await Bench.LoadAsync(azurite.Port, prefix, organizations);
            output.WriteLine(load is { } loaded
                ? $"== {organizations:N0} organizations ({loaded.Entities:N0} entities loaded by the raw loader in {loaded.Elapsed.TotalSeconds:0.0} s)"
                : $"== {organizations:N0} organizations (loaded by the raw loader for an earlier benchmark)");
            if (organizations > memoryOnlyAbove)
            {
                var scanOnly = await ChildAsync(azurite.Port, prefix, "scan");
                var fullOnly = await ChildAsync(azurite.Port, prefix, "full");
                output.WriteLine("1. Full recompute against a raw scan of the same tables, each once, in the child processes of (2)");
                output.WriteLine($"   raw scan      {scanOnly.EntitiesRead,10:N0} entities  {scanOnly.DurationMs,9:N0} ms");
                output.WriteLine($"   full run      {fullOnly.EntitiesRead,10:N0} entities  {fullOnly.DurationMs,9:N0} ms");
                output.WriteLine($"   ratio         full run takes {fullOnly.DurationMs / scanOnly.DurationMs:0.00}x the raw scan's time; it reads {(double)fullOnly.EntitiesRead / scanOnly.EntitiesRead:0.00}x the entities");
                PrintMemory(output, scanOnly, fullOnly);

                // The full child left every scope computed and no mark: one write, then the run it triggers.
                await PrintIncrementalAsync(output, importer, recompute, fullOnly.EntitiesRead, fullOnly.DurationMs, "the full run of (1)");
                output.WriteLine();
                await tables.DeleteAllAsync();
                continue;
            }

            // The first full run reconciles and clears the import's marks; the figures are from runs after it.
            await recompute.RunFullAsync(CancellationToken.None);
            var (rawEntities, rawTime) = await RawScanAsync(tables);
            var full = await recompute.RunFullAsync(CancellationToken.None);
            var (_, rawTime2) = await RawScanAsync(tables);
            var raw = Math.Min(rawTime.TotalMilliseconds, rawTime2.TotalMilliseconds);
            output.WriteLine("1. Full recompute against a raw scan of the same tables");
            output.WriteLine($"   raw scan      {rawEntities,10:N0} entities  {raw,9:N0} ms  {rawEntities / (raw / 1000),10:N0} entities/s  (best of 2)");
            output.WriteLine($"   full run      {full.EntitiesRead,10:N0} entities  {full.DurationMs,9:N0} ms  {full.EntitiesRead / (full.DurationMs!.Value / 1000),10:N0} entities/s read; {full.AggregatesWritten:N0} aggregates written");
            output.WriteLine($"   ratio         full run takes {full.DurationMs / raw:0.00}x the raw scan's time; it reads {(double)full.EntitiesRead / rawEntities:0.00}x the entities");

            await PrintIncrementalAsync(output, importer, recompute, full.EntitiesRead, full.DurationMs!.Value, $"the full run of (1), {full.ScopesRecomputed:N0} scopes");

            PrintMemory(output, await ChildAsync(azurite.Port, prefix, "scan"), await ChildAsync(azurite.Port, prefix, "full"));
            output.WriteLine();
            await tables.DeleteAllAsync();
        }

        output.WriteLine("```");
        output.WriteLine();
        return 0;
    }

    /// <summary>The child: one raw scan or one full run over already loaded tables, then its memory figures as one JSON line.</summary>
    public static Task<int> RunChildAsync(string[] args) => MemoryChild.RunAsync(args, async (mode, services) =>
    {
        if (mode == "scan")
        {
            var (entities, time) = await RawScanAsync(services.GetRequiredService<Tables>());
            return new MemoryChild.Work(entities, time.TotalMilliseconds);
        }

        var run = await services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        if (run.Status != RunStatus.Succeeded)
        {
            await Console.Error.WriteLineAsync(run.Error);
            return null;
        }

        return new MemoryChild.Work(run.EntitiesRead, run.DurationMs ?? 0);
    });

    /// <summary>(3): one organization renamed and moved to another industry through the importer, then the incremental run it makes due, against a full run's figures.</summary>
    private static async Task PrintIncrementalAsync(TextWriter output, DatasetImporter importer, AggregatesRecompute recompute, long fullEntities, double fullMs, string full)
    {
        await importer.ImportAsync(new Dataset(Organizations: [new Organization(SyntheticData.OrganizationId(1), "Organization renamed", null, OrganizationType.University, null, null, ["industry-03"], null)]));
        var incremental = await recompute.RunIncrementalAsync(CancellationToken.None);
        output.WriteLine("3. Incremental run after one write against a full run");
        output.WriteLine($"   incremental   {incremental.EntitiesRead,10:N0} entities  {incremental.DurationMs,9:N0} ms  {incremental.ScopesRecomputed} scopes recomputed");
        output.WriteLine($"   full run      {fullEntities,10:N0} entities  {fullMs,9:N0} ms  ({full})");
        output.WriteLine($"   ratio         incremental / full = {incremental.DurationMs / fullMs:0.0000} in time, {(double)incremental.EntitiesRead / fullEntities:0.0000} in entities read");
    }

    private static void PrintMemory(TextWriter output, MemoryChild.Figures scan, MemoryChild.Figures full)
    {
        output.WriteLine("2. Peak memory, each in a child process of its own (peak working set; peak managed heap sampled every 5 ms; bytes allocated)");
        output.WriteLine($"   raw scan      {Mb(scan.PeakWorkingSet),8} process  {Mb(scan.PeakManaged),8} managed  {Mb(scan.Allocated),10} allocated");
        output.WriteLine($"   full run      {Mb(full.PeakWorkingSet),8} process  {Mb(full.PeakManaged),8} managed  {Mb(full.Allocated),10} allocated");
    }

    private static Task<MemoryChild.Figures> ChildAsync(int port, string prefix, string mode) => MemoryChild.StartAsync(ChildCommand, port, prefix, mode);

    /// <summary>The baseline: every table a full run reads, once, page by page, holding one page at a time.</summary>
    private static async Task<(long Entities, TimeSpan Time)> RawScanAsync(Tables tables)
    {
        var scan = new TableScan();
        var stopwatch = Stopwatch.StartNew();
        foreach (var name in ScannedTables)
        {
            await foreach (var entity in scan.QueryAsync(tables.Get(name), null, CancellationToken.None))
            {
                _ = entity;
            }
        }

        return (scan.EntitiesRead, stopwatch.Elapsed);
    }

    private static string Mb(long bytes) => MemoryChild.Mb(bytes);
}

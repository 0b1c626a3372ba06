using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using InnovationZones.Aggregates;
using InnovationZones.Export;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The export benchmark. For each size: loads synthetic data with the raw loader, then, each in a child
/// process of its own (<see cref="MemoryChild"/>), a raw page-by-page scan of the tables the export reads
/// (the baseline: reading alone, one page held at a time) and the export itself (<see cref="DatasetExport"/>,
/// written to a stream that counts the bytes and keeps none): time, bytes/s and memory side by side.
/// </summary>
internal static class ExportBenchmark
{
    public const string ChildCommand = "export-child";

    /// <summary>The tables the export reads; the scan reads every row of each (the export's relation filter keeps half of its table's).</summary>
    private static readonly string[] ExportedTables = ["Vocabulary", "Cities", "Zones", "Organizations", "Relations", "Metrics"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var sizes = Bench.Sizes(args, "--organizations", "10000,100000");
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        output.WriteLine("```text");
        output.WriteLine($"Export benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"Machine: {Bench.Machine(root)}");
        output.WriteLine($"Azurite (in memory) pid {azurite.ProcessId} on 127.0.0.1:{azurite.Port}; data seed {SyntheticData.Seed}");
        output.WriteLine("Each in a child process of its own: peak working set, its growth over the process's before the work, peak managed heap (sampled every 5 ms), bytes allocated");
        output.WriteLine();

        foreach (var organizations in sizes)
        {
            var prefix = Bench.DataPrefix(organizations);
            var load = await Bench.LoadAsync(azurite.Port, prefix, organizations);
            output.WriteLine(load is { } loaded
                ? $"== {organizations:N0} organizations ({loaded.Entities:N0} entities loaded by the raw loader in {loaded.Elapsed.TotalSeconds:0.0} s)"
                : $"== {organizations:N0} organizations (loaded by the raw loader for an earlier benchmark)");
            var scan = await MemoryChild.StartAsync(ChildCommand, azurite.Port, prefix, "scan");
            var export = await MemoryChild.StartAsync(ChildCommand, azurite.Port, prefix, "export");
            output.WriteLine("               entities       bytes        time      bytes/s   entities/s   peak process    growth   peak managed    allocated");
            Print(output, "raw scan", scan);
            Print(output, "export", export);
            output.WriteLine($"   ratio: the export takes {export.DurationMs / scan.DurationMs:0.00}x the raw scan's time; its working set grows {MemoryChild.Mb(export.WorkingSetGrowth)} against the scan's {MemoryChild.Mb(scan.WorkingSetGrowth)}");
            output.WriteLine();
            await using var services = Bench.Services(azurite.Port, prefix);
            await services.GetRequiredService<Tables>().DeleteAllAsync();
        }

        output.WriteLine("```");
        output.WriteLine();
        return 0;
    }

    /// <summary>The child: one raw scan (bytes = the stored documents' UTF-8 bytes) or one export to a counting stream.</summary>
    public static Task<int> RunChildAsync(string[] args) => MemoryChild.RunAsync(args, async (mode, services) =>
    {
        var tables = services.GetRequiredService<Tables>();
        var stopwatch = Stopwatch.StartNew();
        if (mode == "export")
        {
            await using var counter = new CountingStream();
            var writer = PipeWriter.Create(counter);
            var entities = await services.GetRequiredService<DatasetExport>().WriteAsync(writer);
            await writer.CompleteAsync();
            return new MemoryChild.Work(entities, stopwatch.Elapsed.TotalMilliseconds, counter.Length);
        }

        var scan = new TableScan();
        long bytes = 0;
        foreach (var name in ExportedTables)
        {
            await foreach (var entity in scan.QueryAsync(tables.Get(name), null, CancellationToken.None))
            {
                bytes += Encoding.UTF8.GetByteCount(entity.GetString(TableReads.DocumentProperty) ?? "");
            }
        }

        return new MemoryChild.Work(scan.EntitiesRead, stopwatch.Elapsed.TotalMilliseconds, bytes);
    });

    private static void Print(TextWriter output, string name, MemoryChild.Figures figures)
    {
        var seconds = figures.DurationMs / 1000;
        output.WriteLine($"   {name,-10} {figures.EntitiesRead,10:N0} {MemoryChild.Mb(figures.Bytes),11} {seconds,9:0.0} s {MemoryChild.Mb((long)(figures.Bytes / seconds)),10}/s {figures.EntitiesRead / seconds,12:N0} {MemoryChild.Mb(figures.PeakWorkingSet),14} {MemoryChild.Mb(figures.WorkingSetGrowth),9} {MemoryChild.Mb(figures.PeakManaged),14} {MemoryChild.Mb(figures.Allocated),12}");
    }

    /// <summary>A sink that counts what is written to it and keeps nothing: the bytes a caller would receive.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position { get => length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}

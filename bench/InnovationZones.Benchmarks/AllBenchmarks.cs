using System.Text;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Every benchmark, one after another, each with its own Azurite; their tables are printed and written
/// into docs/benchmarks.md between the results markers, with the machine, the command and the date.
/// </summary>
internal static class AllBenchmarks
{
    public const string ResultsStart = "<!-- results:start -->";
    public const string ResultsEnd = "<!-- results:end -->";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Bench.RepositoryRoot();
        var seconds = Bench.Option(args, "--seconds", "60");
        var concurrency = Bench.Option(args, "--concurrency", "32");
        var started = DateTime.UtcNow;
        var skip = Bench.Option(args, "--skip", "").Split(',', StringSplitOptions.RemoveEmptyEntries);

        // In this order, the synthetic data sets are loaded once: reads loads 1,000, 10,000 and 100,000, which
        // cache, load and aggregates reuse (one Azurite for all of them).
        (string Name, Func<TextWriter, Task<int>> Run)[] benchmarks =
        [
            ("startup", w => StartupBenchmark.RunAsync(["--runs", Bench.Option(args, "--runs", "5")], w)),
            ("import", w => ImportBenchmark.RunAsync(["--organizations", Bench.Option(args, "--import-organizations", "2000")], w)),
            ("reads", w => ReadsBenchmark.RunAsync(["--organizations", Bench.Option(args, "--reads-organizations", "1000,10000,100000")], w)),
            ("cache", w => CacheBenchmark.RunAsync(["--organizations", Bench.Option(args, "--cache-organizations", "100000"), "--seconds", Bench.Option(args, "--cache-seconds", "10")], w)),
            ("load", w => LoadBenchmark.RunAsync(["--organizations", Bench.Option(args, "--load-organizations", "10000"), "--seconds", seconds, "--concurrency", concurrency], w)),
            ("aggregates", w => AggregatesBenchmark.RunAsync(["--organizations", Bench.Option(args, "--aggregates-organizations", "10000,100000"),
                "--memory-only-above", Bench.Option(args, "--memory-only-above", "10000")], w)),
        ];
        await using var shared = await LocalAzurite.StartAsync(root);
        LocalAzurite.Shared = shared;

        var results = new StringBuilder();
        var failed = false;
        foreach (var (name, run) in benchmarks.Where(b => !skip.Contains(b.Name)))
        {
            using var captured = new StringWriter();
            using var tee = new TeeWriter(Console.Out, captured);
            try
            {
                failed |= await run(tee) != 0;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Azure.RequestFailedException or IOException)
            {
                failed = true;
                tee.WriteLine($"**The {name} benchmark failed**: {e.GetType().Name}: {e.Message}");
                tee.WriteLine();
            }

            results.Append(captured);
        }

        var command = "dotnet run -c Release --project bench/InnovationZones.Benchmarks -- all" + (args.Length == 0 ? "" : " " + string.Join(" ", args));
        var section = $"""
            {ResultsStart}
            Run on {started:yyyy-MM-dd HH:mm} UTC ({(DateTime.UtcNow - started).TotalMinutes:0} min) with

            ```bash
            {command}
            ```

            Machine: {Bench.Machine(root)}.

            {results.ToString().TrimEnd()}
            {ResultsEnd}
            """;
        var path = Path.Combine(root, "docs", "benchmarks.md");
        var document = await File.ReadAllTextAsync(path);
        var (from, to) = (document.IndexOf(ResultsStart, StringComparison.Ordinal), document.IndexOf(ResultsEnd, StringComparison.Ordinal));
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"{path} has no {ResultsStart} ... {ResultsEnd} section to replace.");
        }

        await File.WriteAllTextAsync(path, string.Concat(document.AsSpan(0, from), section, document.AsSpan(to + ResultsEnd.Length)));
        Console.WriteLine($"Wrote the results into {path}.");
        return failed ? 1 : 0;
    }

    /// <summary>Writes to two writers: the console, and the text that goes into the document.</summary>
    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.WriteLine(value);
        }

        public override void WriteLine()
        {
            first.WriteLine();
            second.WriteLine();
        }
    }
}

// Benchmarks of the Innovation Zones function app, each against an in-memory Azurite of its own
// (docs/benchmarks.md). Each subcommand prints its figures beside a baseline measured in the same run.
//   dotnet run -c Release --project bench/InnovationZones.Benchmarks -- <command> [options]
using InnovationZones.Benchmarks;

return args switch
{
    ["all", .. var rest] => await AllBenchmarks.RunAsync(rest),
    ["reads", .. var rest] => await ReadsBenchmark.RunAsync(rest, Console.Out),
    ["cache", .. var rest] => await CacheBenchmark.RunAsync(rest, Console.Out),
    ["hosts", .. var rest] => await HostsBenchmark.RunAsync(rest, Console.Out),
    ["compression", .. var rest] => await CompressionBenchmark.RunAsync(rest, Console.Out),
    ["import", .. var rest] => await ImportBenchmark.RunAsync(rest, Console.Out),
    ["startup", .. var rest] => await StartupBenchmark.RunAsync(rest, Console.Out),
    ["load", .. var rest] => await LoadBenchmark.RunAsync(rest, Console.Out),
    ["ratelimit", .. var rest] => await RateLimitBenchmark.RunAsync(rest, Console.Out),
    ["history", .. var rest] => await HistoryBenchmark.RunAsync(rest, Console.Out),
    ["aggregates", .. var rest] => await AggregatesBenchmark.RunAsync(rest, Console.Out),
    ["export", .. var rest] => await ExportBenchmark.RunAsync(rest, Console.Out),
    [ExportBenchmark.ChildCommand, .. var rest] => await ExportBenchmark.RunChildAsync(rest),
    [AggregatesBenchmark.ChildCommand, .. var rest] => await AggregatesBenchmark.RunChildAsync(rest),
    [StartupBenchmark.BareHostCommand, .. var rest] => await StartupBenchmark.RunBareHostAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: InnovationZones.Benchmarks <command> [options]

        commands:
          reads [--organizations 1000,10000,100000] [--requests 2000] [--concurrency 8] [--repeat 50]
                    GET organization by id against a raw point read; page 50 against page 1 (at the largest
                    size); the organizations of one zone at each size, beside Azurite's partition query
          cache [--organizations 100000] [--hot 1000] [--requests 10000] [--concurrency 16] [--seconds 10]
                    hot GETs by id with the read cache on against off and a raw point read; the mixed load
                    with the cache on and off, and the storage requests per 1,000 API requests
          hosts [--organizations 10000] [--requests 2000] [--concurrency 8]
                    GET organization by id through the real Functions host (func) against the dev host and
                    a raw point read, hot (from the read cache) and cold (from storage)
          compression [--organizations 1000] [--requests 200]
                    a 1,000-item page as JSON and CSV: bytes on the wire and time, without compression, gzip, Brotli
          import [--organizations 2000]
                    the app's import against raw 100-entity batched upserts of the same entities
          startup [--runs 5]
                    the dev host's process start to its first 200 against a bare ASP.NET Core program
          load [--organizations 10000] [--seconds 60] [--concurrency 32] [--max-requests 5000000]
                    mixed reads against the dev host: requests, errors, p50, p99, throughput per endpoint class
          ratelimit [--organizations 1000] [--seconds 10] [--concurrency 16]
                    the limiter's cost per request (alone, and the mixed load with it off and on), and a flood
                    from one client at the default budget beside a second client's steady requests
          history [--organizations 1000] [--writes 300] [--concurrency 8]
                    PATCH writes with history on against off: writes/s, p50, p99, storage requests a write
          aggregates [--organizations 10000[,100000]]
                    full recompute against a raw scan, peak memory, incremental against full
          export [--organizations 10000,100000]
                    GET v1/export's writer against a raw scan of the same tables: time, bytes/s, peak memory
          all [--reads-organizations 1000,10000,100000] [--cache-organizations 100000] [--cache-seconds 10]
              [--import-organizations 2000] [--load-organizations 10000]
              [--seconds 60] [--concurrency 32] [--runs 5] [--aggregates-organizations 10000,100000] [--skip a,b]
                    every benchmark above; writes the results into docs/benchmarks.md
        """);
    return 2;
}

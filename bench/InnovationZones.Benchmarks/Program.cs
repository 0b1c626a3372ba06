// Benchmarks of the Innovation Zones function app, against an in-memory Azurite of their own.
//   dotnet run -c Release --project bench/InnovationZones.Benchmarks -- aggregates [--organizations 10000[,100000]]
// Each subcommand prints its figures beside a baseline measured in the same run.
using InnovationZones.Benchmarks;

return args switch
{
    ["aggregates", .. var rest] => await AggregatesBenchmark.RunAsync(rest),
    [AggregatesBenchmark.ChildCommand, .. var rest] => await AggregatesBenchmark.RunChildAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: InnovationZones.Benchmarks <command> [options]

        commands:
          aggregates [--organizations N[,N...]]   full recompute against a raw scan, peak memory, incremental against full
                                                  (default --organizations 10000)
        """);
    return 2;
}

using System.Globalization;
using InnovationZones.Aggregates;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The load test: synthetic data raw-loaded and its aggregates computed, the dev host served in this
/// process on 127.0.0.1, then <see cref="LoadLoop"/> for <c>--seconds</c> at <c>--concurrency</c> (after a
/// short warm-up that is not counted). The suite runs the same loop, smaller (tests/.../Load/LoadTests.cs).
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 10_000);
        var seconds = Bench.Int(args, "--seconds", 60);
        var concurrency = Bench.Int(args, "--concurrency", 32);
        var maxRequests = Bench.Int(args, "--max-requests", 5_000_000);
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);
        await using (var services = Bench.Services(azurite.Port, prefix))
        {
            var run = await services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
            Console.Error.WriteLine($"aggregates computed: {run.Status}, {run.AggregatesWritten:N0} written in {run.DurationMs:0} ms");
        }

        await using var host = await Bench.StartDevHostAsync(azurite.Port, prefix);
        using var client = Bench.Client(Bench.BaseAddress(host));
        var plan = await LoadPlan.DiscoverAsync(client);
        await LoadLoop.RunAsync(client, plan, TimeSpan.FromSeconds(Math.Clamp(seconds / 10, 1, 5)), concurrency, maxRequests);
        var result = await LoadLoop.RunAsync(client, plan, TimeSpan.FromSeconds(seconds), concurrency, maxRequests);

        output.WriteLine($"### Load: {seconds} s at concurrency {concurrency}, {organizations:N0} organizations");
        output.WriteLine();
        output.WriteLine($"Mixed GETs through the dev host (in process, HttpClient over 127.0.0.1), {result.Elapsed.TotalSeconds:0.0} s measured after a warm-up. " +
            $"Distinct URLs: {string.Join(", ", Enum.GetValues<EndpointClass>().Select(c => $"{Name(c)} {plan.Of(c).Count}"))}.");
        output.WriteLine();
        Bench.Table(output, ["Endpoint class", "Requests", "Errors", "Statuses", "p50", "p99", "Requests/s"],
            [.. result.Classes.Append(result.Overall).Select(f => (IReadOnlyList<string>)[
                f == result.Overall ? "**all**" : Name(Enum.Parse<EndpointClass>(f.Name)),
                f.Requests.ToString("N0", CultureInfo.InvariantCulture),
                f.Errors.ToString("N0", CultureInfo.InvariantCulture),
                string.Join(", ", f.Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "failed" : s.Key.ToString(CultureInfo.InvariantCulture))}: {s.Value:N0}")),
                Bench.Ms(f.Latency.P50),
                Bench.Ms(f.Latency.P99),
                f.PerSecond.ToString("N0", CultureInfo.InvariantCulture)])]);
        output.WriteLine($"Target: zero errors. {(result.Overall.Errors == 0 ? "Met" : "**Missed**")}: {result.Overall.Errors:N0} errors in {result.Overall.Requests:N0} requests.");
        foreach (var sample in result.ErrorSamples)
        {
            output.WriteLine("- " + sample);
        }

        output.WriteLine();
        return result.Overall.Errors == 0 ? 0 : 1;
    }

    public static string Name(EndpointClass endpointClass) => endpointClass switch
    {
        EndpointClass.Organization => "organization by id",
        EndpointClass.Zone => "zone by id",
        EndpointClass.FilteredList => "filtered list",
        EndpointClass.Stats => "stats",
        _ => "conditional GET (304)",
    };
}

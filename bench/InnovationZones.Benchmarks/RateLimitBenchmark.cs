using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// What the rate limiter costs and what a flood meets, in one run: the limiter alone (one acquisition against
/// a loop that only picks the request), the mixed load through a dev host with the limiter off and one with
/// it on (a budget never reached), in alternating rounds, and one client flooding a host at the default
/// budget while a second client sends five requests a second. The two clients connect from two loopback
/// addresses; the host, as the Functions host does, passes each on in X-Forwarded-For.
/// </summary>
internal static class RateLimitBenchmark
{
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 1_000);
        var seconds = Bench.Int(args, "--seconds", 10);
        var concurrency = Bench.Int(args, "--concurrency", 16);

        output.WriteLine($"### Rate limiting: {organizations:N0} organizations, {seconds} s a measurement, concurrency {concurrency}");
        output.WriteLine();
        Alone(output);

        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);
        await using (var services = Bench.Services(azurite.Port, prefix))
        {
            await services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        }

        await MixedLoadAsync(output, azurite.Port, prefix, seconds, concurrency);
        await FloodAsync(output, azurite.Port, prefix, seconds, concurrency);
        return 0;
    }

    /// <summary>One acquisition and release per request, over 1,000 clients, against the same loop without it.</summary>
    private static void Alone(TextWriter output)
    {
        const int Clients = 1_000, Requests = 2_000_000;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:RateLimits:Reads:PermitsPerMinute"] = Bench.NeverReached,
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRateLimits().BuildServiceProvider();
        var limiter = services.GetRequiredService<PartitionedRateLimiter<HttpContext>>();
        var contexts = Enumerable.Range(0, Clients).Select(i =>
        {
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/api/v1/zones";
            context.Connection.RemoteIpAddress = new IPAddress([198, 51, (byte)(i / 256), (byte)(i % 256)]);
            return (HttpContext)context;
        }).ToArray();

        double Time(bool acquire)
        {
            long acquired = 0;
            var stopwatch = Stopwatch.StartNew();
            for (var n = 0; n < Requests; n++)
            {
                var context = contexts[n % Clients];
                if (acquire)
                {
                    using var lease = limiter.AttemptAcquire(context);
                    acquired += lease.IsAcquired ? 1 : 0;
                }
                else
                {
                    acquired += context.Request.Path.HasValue ? 1 : 0;
                }
            }

            return acquired == Requests ? stopwatch.Elapsed.TotalNanoseconds / Requests : double.NaN;
        }

        Time(acquire: true);
        var (baseline, limited) = (Time(acquire: false), Time(acquire: true));
        output.WriteLine($"The limiter alone: {Requests:N0} requests over {Clients:N0} clients, one thread.");
        output.WriteLine();
        Bench.Table(output, ["Loop", "ns a request"],
        [
            ["pick the request only (baseline)", baseline.ToString("0", CultureInfo.InvariantCulture)],
            ["AttemptAcquire and release the lease", limited.ToString("0", CultureInfo.InvariantCulture)],
        ]);
        output.WriteLine($"The limiter's own cost: {(limited - baseline) / 1000:0.00} µs a request.");
        output.WriteLine();
    }

    /// <summary>The load benchmark's mixed GETs through a host without the limiter and one with it, alternating.</summary>
    private static async Task MixedLoadAsync(TextWriter output, int port, string prefix, int seconds, int concurrency)
    {
        var off = new Dictionary<string, string?> { ["Api:RateLimits:Reads:PermitsPerMinute"] = "0", ["Api:RateLimits:Writes:PermitsPerMinute"] = "0" };
        await using var offHost = await Bench.StartDevHostAsync(port, prefix, off);
        await using var onHost = await Bench.StartDevHostAsync(port, prefix);
        using var offClient = Bench.Client(Bench.BaseAddress(offHost));
        using var onClient = Bench.Client(Bench.BaseAddress(onHost));
        // A plan per host: a list's ETag covers its nextLink, which names the host's own address.
        var (offPlan, onPlan) = (await LoadPlan.DiscoverAsync(offClient), await LoadPlan.DiscoverAsync(onClient));
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 1, 3));
        await LoadLoop.RunAsync(offClient, offPlan, warmUp, concurrency, long.MaxValue);
        await LoadLoop.RunAsync(onClient, onPlan, warmUp, concurrency, long.MaxValue);

        var results = new Dictionary<string, List<LoadFigures>> { ["off"] = [], ["on"] = [] };
        for (var round = 0; round < Rounds; round++)
        {
            results["off"].Add((await LoadLoop.RunAsync(offClient, offPlan, TimeSpan.FromSeconds(seconds), concurrency, long.MaxValue)).Overall);
            results["on"].Add((await LoadLoop.RunAsync(onClient, onPlan, TimeSpan.FromSeconds(seconds), concurrency, long.MaxValue)).Overall);
        }

        output.WriteLine($"The mixed load (as `load`), {Rounds} rounds of {seconds} s per host, alternating; all requests are one client, so they share one bucket.");
        output.WriteLine();
        Bench.Table(output, ["Limiter", "Requests", "Errors", "p50 (median round)", "p99 (median round)", "Requests/s (median round)"],
            results.Select(r => (IReadOnlyList<string>)[
                r.Key == "off" ? "off (baseline)" : "on, budget never reached",
                r.Value.Sum(f => f.Requests).ToString("N0", CultureInfo.InvariantCulture),
                r.Value.Sum(f => f.Errors).ToString("N0", CultureInfo.InvariantCulture),
                Bench.Ms(Median(r.Value.Select(f => f.Latency.P50))),
                Bench.Ms(Median(r.Value.Select(f => f.Latency.P99))),
                Median(r.Value.Select(f => f.PerSecond)).ToString("N0", CultureInfo.InvariantCulture)]));
        output.WriteLine($"Throughput with the limiter on against off: {Bench.Ratio(Median(results["on"].Select(f => f.PerSecond)) / Median(results["off"].Select(f => f.PerSecond)))}.");
        output.WriteLine();
    }

    /// <summary>One client floods a host at the default budget; another sends five requests a second throughout.</summary>
    private static async Task FloodAsync(TextWriter output, int port, string prefix, int seconds, int concurrency)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Api:RateLimits:Reads:PermitsPerMinute"] = new RateLimitOptions().Reads.PermitsPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Api:RateLimits:Writes:PermitsPerMinute"] = new RateLimitOptions().Writes.PermitsPerMinute.ToString(CultureInfo.InvariantCulture),
        };
        await using var host = await Bench.StartDevHostAsync(port, prefix, defaults);
        var address = Bench.BaseAddress(host);
        using var flooder = ClientFrom(address, "127.0.0.2");
        using var steady = ClientFrom(address, "127.0.0.3");
        var duration = TimeSpan.FromSeconds(seconds * 2);

        var stopwatch = Stopwatch.StartNew();
        var flood = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            while (stopwatch.Elapsed < duration)
            {
                samples.Add(await SendAsync(flooder, stopwatch));
            }

            return samples;
        })));
        var polite = Task.Run(async () =>
        {
            var samples = new List<Sample>();
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (stopwatch.Elapsed < duration && await timer.WaitForNextTickAsync())
            {
                samples.Add(await SendAsync(steady, stopwatch));
            }

            return samples;
        });
        var flooded = (await flood).SelectMany(s => s).ToList();
        var politeSamples = await polite;

        var budget = new RateLimitOptions().Reads.PermitsPerMinute;
        var afterBurst = flooded.Where(s => s.At > TimeSpan.FromSeconds(seconds)).ToList();
        output.WriteLine($"A flood at the default budget ({budget} reads a minute, a client): one client at concurrency {concurrency} for {duration.TotalSeconds:0} s, " +
            "another sending five requests a second. `GET api/v1/zones`; the clients connect from 127.0.0.2 and 127.0.0.3, which the host passes on in X-Forwarded-For.");
        output.WriteLine();
        Bench.Table(output, ["Client", "Requests", "200", "429", "Other", "p50 of 200s", "p50 of 429s", "p99 of 429s", "200s a second after the first half"],
        [
            Row("flooding", flooded, afterBurst.Count(s => s.Status == 200) / (duration.TotalSeconds - seconds)),
            Row("steady, 5 a second", politeSamples, politeSamples.Where(s => s.At > TimeSpan.FromSeconds(seconds)).Count(s => s.Status == 200) / (duration.TotalSeconds - seconds)),
        ]);
        var retryAfter = flooded.Where(s => s.RetryAfter is not null).Select(s => s.RetryAfter).Distinct().ToList();
        output.WriteLine($"The flood's bucket refills at {budget / 60.0:0.#} a second, so after its first {budget} it gets that many 200s a second; " +
            $"Retry-After on its 429s: {string.Join(", ", retryAfter)} s. The steady client is never refused: {politeSamples.Count(s => s.Status == 429)} of its {politeSamples.Count} requests got 429.");
        output.WriteLine();
    }

    private static IReadOnlyList<string> Row(string name, List<Sample> samples, double successesPerSecond) =>
    [
        name,
        samples.Count.ToString("N0", CultureInfo.InvariantCulture),
        samples.Count(s => s.Status == 200).ToString("N0", CultureInfo.InvariantCulture),
        samples.Count(s => s.Status == 429).ToString("N0", CultureInfo.InvariantCulture),
        samples.Count(s => s.Status is not (200 or 429)).ToString("N0", CultureInfo.InvariantCulture),
        Percentile(samples, 200, l => l.P50),
        Percentile(samples, 429, l => l.P50),
        Percentile(samples, 429, l => l.P99),
        successesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
    ];

    private static string Percentile(List<Sample> samples, int status, Func<Latencies, double> percentile) =>
        Latencies.From(samples.Where(s => s.Status == status).Select(s => s.Ms)) is { Count: > 0 } latencies ? Bench.Ms(percentile(latencies)) : "–";

    private static async Task<Sample> SendAsync(HttpClient client, Stopwatch clock)
    {
        var started = Stopwatch.GetTimestamp();
        var at = clock.Elapsed;
        try
        {
            using var response = await client.GetAsync("api/v1/zones");
            await response.Content.ReadAsByteArrayAsync();
            return new Sample(at, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException)
        {
            return new Sample(at, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/>, a loopback address of its own.</summary>
    private static HttpClient ClientFrom(Uri baseAddress, string localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(100),
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private sealed record Sample(TimeSpan At, int Status, double Ms, string? RetryAfter);
}

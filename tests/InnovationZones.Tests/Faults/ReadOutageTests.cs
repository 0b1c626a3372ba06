using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using InnovationZones.Aggregates;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// Azurite stops under a read load and comes back: every request is answered, a 200 or 304 before and a
/// 503 problem with Retry-After during (or, within the read cache's bound, the same 200 or 304 from memory;
/// a request with no-cache always a 503), within the storage call limit the options set, never a 500; health
/// is 503; once Azurite is back the same host (no restart) answers the same bodies again.
/// </summary>
[Trait("Category", Tier.Host)]
public sealed class ReadOutageTests(OutageAzurite azurite) : IClassFixture<OutageAzurite>, IAsyncLifetime
{
    private const int Clients = 8;
    private const int MaxRequests = 3000;
    private const int OutageRequests = 64;
    private static readonly TimeSpan MaxLoopTime = TimeSpan.FromSeconds(40);

    /// <summary>Time a loaded CI machine may add to a request over its storage calls.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private static readonly string[] Paths =
    [
        "api/v1/zones/zhongguancun-science-city",
        "api/v1/organizations/world-internet-conference",
        "api/v1/organizations?zone=zhongguancun-science-city",
        "api/v1/organizations?type=international-organization",
        "api/v1/zones?city=beijing",
        "api/v1/cities/beijing/metrics?indicator=innovation-platforms-gdp-share",
        "api/v1/organizations/world-internet-conference/relations",
        "api/v1/stats/zones/zhongguancun-science-city",
        "api/v1/stats/cities/beijing",
    ];

    private ApiServer server = null!;

    public async Task InitializeAsync()
    {
        await azurite.EnsureStartedAsync();
        server = await ApiServer.StartAsync(storage: azurite.NewStorageOptions());
        var run = await server.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task ReadsAnswer503WithinTheStorageCallLimitWhileAzuriteIsDownAndTheSameBodiesOnceItIsBack()
    {
        var bound = server.Storage.StorageCallLimit + Slack;
        var before = await BodiesAsync();

        var outcomes = new ConcurrentBag<Outcome>();
        var sent = 0;
        var afterStop = 0;
        var stopped = false;
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = bound + Slack };
        var readers = Enumerable.Range(0, Clients).Select(reader => Task.Run(async () =>
        {
            while (watch.Elapsed < MaxLoopTime && Volatile.Read(ref afterStop) < OutageRequests)
            {
                var n = Interlocked.Increment(ref sent);
                if (n > MaxRequests)
                {
                    return;
                }

                var path = Paths[n % Paths.Length];
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (n % 3 == 0)
                {
                    request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(before[path].ETag));
                }
                else if (n % 3 == 1)
                {
                    // Every path is in the read cache, which may answer for its bound (5 s) into the outage:
                    // these ask storage, as a caller that needs the current state does.
                    request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
                }

                var wasStopped = Volatile.Read(ref stopped);
                var started = watch.Elapsed;
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                outcomes.Add(new Outcome(path, n % 3 == 0, n % 3 == 1, wasStopped, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    body, response.Headers.RetryAfter?.Delta, watch.Elapsed - started));
                if (wasStopped)
                {
                    Interlocked.Increment(ref afterStop);
                }
            }
        })).ToList();

        // Some load first, then the outage in the middle of it.
        while (outcomes.Count < 5 * Clients && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var servedBeforeStop = outcomes.Count;
        await azurite.StopAsync();
        Volatile.Write(ref stopped, true);

        using (var health = await client.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.NotNull(health.Headers.RetryAfter);
            Assert.Contains("\"storage\":\"unhealthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.WhenAll(readers).WaitAsync(MaxLoopTime + bound + Slack);

        Assert.True(servedBeforeStop >= 5 * Clients, $"only {servedBeforeStop} requests before the outage");
        Assert.True(afterStop >= OutageRequests, $"only {afterStop} requests after the outage began");
        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Took <= bound, $"GET {outcome.Path} took {outcome.Took}, over {bound}");
            switch (outcome.Status)
            {
                case 200:
                    Assert.False(outcome.Conditional, $"GET {outcome.Path} with the ETag it had: 200");
                    Assert.Equal(before[outcome.Path].Body, outcome.Body);
                    break;
                case 304:
                    Assert.True(outcome.Conditional, $"GET {outcome.Path} without If-None-Match: 304");
                    break;
                case 503:
                    Assert.Equal("application/problem+json", outcome.MediaType);
                    Assert.Contains("\"code\":\"StorageUnavailable\"", outcome.Body, StringComparison.Ordinal);
                    Assert.Equal(TimeSpan.FromSeconds(5), outcome.RetryAfter);
                    break;
                default:
                    Assert.Fail($"GET {outcome.Path}: {outcome.Status} {outcome.Body}");
                    break;
            }
        }

        Assert.Contains(outcomes, o => o.Status == 503);
        Assert.All(outcomes.Where(o => o.NoCache && o.AfterStop), o => Assert.Equal(503, o.Status));

        // Back: the same host, no restart, answers as before within a bounded time.
        await azurite.StartAsync();
        await HealthyWithinAsync(client, TimeSpan.FromSeconds(30));
        var after = await BodiesAsync();
        foreach (var path in Paths)
        {
            Assert.Equal(before[path], after[path]);
        }
    }

    [Fact]
    public async Task ReadsAnswer503WithinTheStorageCallLimitWhileAzuriteHangs()
    {
        // A hung service accepts connections and never answers: each try runs out its network timeout.
        // A second host with a 1 s timeout keeps this short; the limit comes from its options all the same.
        var storage = new StorageOptions
        {
            ConnectionString = server.Storage.ConnectionString,
            TablePrefix = server.Storage.TablePrefix,
            NetworkTimeoutSeconds = 1,
        };
        await using var hanging = await ApiServer.StartAsync(loadBeijing: false, storage: storage,
            configure: o => o.Settings["Storage:NetworkTimeoutSeconds"] = storage.NetworkTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bound = storage.StorageCallLimit + Slack;
        using var client = new HttpClient { BaseAddress = hanging.Client.BaseAddress, Timeout = bound + Slack };
        var before = await BodiesAsync();

        azurite.Freeze();
        try
        {
            // What the SDK throws when every try times out, and what the app makes of it.
            var direct = AzuriteFixture.NewTables(storage);
            var timedOut = await Assert.ThrowsAsync<AggregateException>(() => direct.Zones.FindAsync("zhongguancun-science-city", Keys.MainRowKey("zhongguancun-science-city"), CancellationToken.None));
            Assert.Equal(storage.MaxRetries + 1, timedOut.InnerExceptions.Count);
            Assert.All(timedOut.InnerExceptions, e => Assert.IsAssignableFrom<OperationCanceledException>(e));
            Assert.Equal("StorageUnavailable", InnovationZones.Api.ProblemResponses.Classify(timedOut, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Code);

            var reads = await Task.WhenAll(Paths.Select(async path =>
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                return (Path: path, Status: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync(),
                    response.Headers.RetryAfter?.Delta, Took: watch.Elapsed);
            }));
            foreach (var read in reads)
            {
                Assert.True(read.Status == 503, $"GET {read.Path}: {read.Status} {read.Body}");
                Assert.Contains("\"code\":\"StorageUnavailable\"", read.Body, StringComparison.Ordinal);
                Assert.Equal(TimeSpan.FromSeconds(5), read.Delta);
                Assert.True(read.Took <= bound, $"GET {read.Path} took {read.Took}, over {bound}");
                Assert.True(read.Took >= TimeSpan.FromSeconds(storage.NetworkTimeoutSeconds), $"GET {read.Path} took {read.Took}: no timeout was waited for");
            }

            using var health = await client.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            azurite.Thaw();
        }

        await HealthyWithinAsync(client, TimeSpan.FromSeconds(30));
        var after = await BodiesAsync();
        foreach (var path in Paths)
        {
            Assert.Equal(before[path], after[path]);
        }
    }

    /// <summary>Every path's body and ETag, each a 200.</summary>
    private async Task<Dictionary<string, Snapshot>> BodiesAsync()
    {
        var bodies = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
        foreach (var path in Paths)
        {
            using var response = await server.Client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
            bodies[path] = new Snapshot(body, response.Headers.ETag!.ToString());
        }

        return bodies;
    }

    private static async Task HealthyWithinAsync(HttpClient client, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var health = await client.GetAsync("api/health");
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(watch.Elapsed < limit, $"api/health still {(int)health.StatusCode} after {watch.Elapsed}");
            await Task.Delay(200);
        }
    }

    private sealed record Snapshot(string Body, string ETag);

    private sealed record Outcome(string Path, bool Conditional, bool NoCache, bool AfterStop, int Status, string? MediaType, string Body, TimeSpan? RetryAfter, TimeSpan Took);
}

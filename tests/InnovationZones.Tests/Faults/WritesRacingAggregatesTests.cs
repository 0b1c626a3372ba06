using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// HTTP writes race a full aggregates run: the run keeps the marks of what it may not have read, so one
/// incremental run after both leaves exactly the aggregates a fresh full run computes on the final data.
/// </summary>
[Collection(Serial.Name)]
[Trait("Category", Tier.Host)]
public sealed class WritesRacingAggregatesTests : IAsyncLifetime
{
    private const int Writers = 4;
    private const int MaxWrites = 160;
    private const int WritesAfterTheRun = 8;
    private static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(30);

    private static readonly string[] ZoneIds = ["zhongguancun-science-city", "huairou-science-city", "future-science-city", "yizhuang-economic-development-zone"];
    private static readonly string[] Types = ["company", "university", "research-institute", "non-profit"];
    private static readonly int[] Allowed = [200, 201, 204, 404, 409];

    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task OneIncrementalRunAfterWritesRacingAFullRunMakesTheAggregatesExact()
    {
        var recompute = server.Services.GetRequiredService<AggregatesRecompute>();
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);

        // The writers start with the run's first aggregate, and the run is slowed a little per aggregate, so
        // that writes land while it reads and writes; they go on until some have landed after it ended.
        using var running = new SemaphoreSlim(0);
        var runEnded = false;
        var afterRun = 0;
        var writes = 0;
        var outcomes = new ConcurrentQueue<(string Request, int Status, string Body)>();
        recompute.AfterWrite = _ =>
        {
            if (running.CurrentCount == 0)
            {
                running.Release(Writers);
            }

            Thread.Sleep(15);
        };
        var watch = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            Assert.True(await running.WaitAsync(MaxTime), "the run wrote no aggregate");
            var random = new Random(writer);
            while (watch.Elapsed < MaxTime && Volatile.Read(ref afterRun) < WritesAfterTheRun && Interlocked.Increment(ref writes) <= MaxWrites)
            {
                var ended = Volatile.Read(ref runEnded);
                using var request = RandomWrite(random);
                var description = $"{request.Method} {request.RequestUri}";
                using var response = await server.Client.SendAsync(request);
                outcomes.Enqueue((description, (int)response.StatusCode, await response.Content.ReadAsStringAsync()));
                if (ended)
                {
                    Interlocked.Increment(ref afterRun);
                }
            }
        })).ToList();

        RunRecord full;
        try
        {
            full = await recompute.RunFullAsync(CancellationToken.None);
        }
        finally
        {
            recompute.AfterWrite = null;
            Volatile.Write(ref runEnded, true);
        }

        await Task.WhenAll(writers).WaitAsync(MaxTime * 2);
        Assert.Equal(RunStatus.Succeeded, full.Status);
        foreach (var (request, status, body) in outcomes)
        {
            Assert.True(Allowed.Contains(status), $"{request}: {status} {body}");
        }

        Assert.True(outcomes.Count(o => o.Status is 200 or 201 or 204) >= 2 * Writers, $"only {outcomes.Count(o => o.Status is 200 or 201 or 204)} writes changed something");
        Assert.True(afterRun >= WritesAfterTheRun, $"only {afterRun} writes after the run");
        Assert.NotEmpty(await DirtyScopesAsync(server.Tables));

        var incremental = await recompute.RunIncrementalAsync(CancellationToken.None);
        Assert.Equal((RunKind.Incremental, RunStatus.Succeeded), (incremental.Kind, incremental.Status));
        var afterIncremental = await TableSnapshot.AggregatesAsync(server.Tables);

        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);
        Assert.Equal(await TableSnapshot.AggregatesAsync(server.Tables), afterIncremental);
    }

    /// <summary>One write of a few organizations, their relations to the four zones, zone figures and the zones' kinds: each changes some aggregate.</summary>
    private static HttpRequestMessage RandomWrite(Random random)
    {
        var organization = "race-org-" + random.Next(6).ToString(CultureInfo.InvariantCulture);
        var zone = ZoneIds[random.Next(ZoneIds.Length)];
        var relation = $"api/v1/organizations/{organization}/relations/located-in/zone/{zone}";
        var metric = $"api/v1/zones/{zone}/metrics/race-indicator/{(2020 + random.Next(3)).ToString(CultureInfo.InvariantCulture)}";
        return random.Next(8) switch
        {
            0 or 1 => Put("api/v1/organizations/" + organization, Organization("Race " + organization, Types[random.Next(Types.Length)])),
            2 => Delete("api/v1/organizations/" + organization),
            3 => Put(relation, Relation),
            4 => Delete(relation),
            5 => Put(metric, Metric(random.Next(1, 1000).ToString(CultureInfo.InvariantCulture), "count")),
            6 => Delete(metric),
            _ => Patch("api/v1/zones/" + zone, $$"""{"area": {"value": {{random.Next(1, 400).ToString(CultureInfo.InvariantCulture)}}, "unit": "km2", "qualifier": "about", "source": {{Source()}} } }"""),
        };
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace InnovationZones.Benchmarks;

/// <summary>The kinds of request a mixed read load sends.</summary>
internal enum EndpointClass
{
    Organization,
    Zone,
    FilteredList,
    Stats,
    Conditional,
}

/// <summary>One GET of the load; a conditional one sends an ETag from an earlier response and expects 304.</summary>
internal sealed record LoadRequest(EndpointClass Class, string Path, string? IfNoneMatch = null)
{
    public int ExpectedStatus => IfNoneMatch is null ? 200 : 304;
}

/// <summary>
/// The requests of a mixed read load, found through the API itself (the first page of cities, zones and
/// organizations), so it runs against any loaded data: organization and zone by id; organizations of a
/// zone, of a type, and zones of a city; city, zone and organization stats; and conditional GETs of a
/// sample of those with the ETag each answered before. Request <c>n</c> is of class <c>n mod 5</c>.
/// </summary>
internal sealed class LoadPlan
{
    private const int ConditionalSample = 50;

    private readonly IReadOnlyList<IReadOnlyList<LoadRequest>> byClass;

    private LoadPlan(IReadOnlyList<IReadOnlyList<LoadRequest>> byClass) => this.byClass = byClass;

    public IReadOnlyList<LoadRequest> Of(EndpointClass endpointClass) => byClass[(int)endpointClass];

    public LoadRequest Request(long n)
    {
        var requests = byClass[(int)(n % byClass.Count)];
        return requests[(int)(n / byClass.Count % requests.Count)];
    }

    public static async Task<LoadPlan> DiscoverAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        var cities = Ids(await GetAsync(client, "api/v1/cities", cancellationToken));
        var zones = Ids(await GetAsync(client, "api/v1/zones?maxpagesize=50", cancellationToken));
        var organizations = (await GetAsync(client, "api/v1/organizations?maxpagesize=100", cancellationToken))["value"]!.AsArray();
        var organizationIds = organizations.Select(o => o!["id"]!.GetValue<string>()).ToList();
        var types = organizations.Select(o => o!["type"]?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (cities.Count == 0 || zones.Count == 0 || organizationIds.Count == 0)
        {
            throw new InvalidOperationException("The load needs at least one city, zone and organization in storage.");
        }

        List<LoadRequest> byId = [.. organizationIds.Select(id => new LoadRequest(EndpointClass.Organization, "api/v1/organizations/" + id))];
        List<LoadRequest> zoneById = [.. zones.Select(id => new LoadRequest(EndpointClass.Zone, "api/v1/zones/" + id))];
        List<LoadRequest> lists =
        [
            .. zones.Select(id => new LoadRequest(EndpointClass.FilteredList, "api/v1/organizations?zone=" + id)),
            .. cities.Select(id => new LoadRequest(EndpointClass.FilteredList, "api/v1/zones?city=" + id)),
            .. types.Select(type => new LoadRequest(EndpointClass.FilteredList, "api/v1/organizations?type=" + type)),
        ];
        List<LoadRequest> stats =
        [
            .. cities.Select(id => new LoadRequest(EndpointClass.Stats, "api/v1/stats/cities/" + id)),
            .. zones.Select(id => new LoadRequest(EndpointClass.Stats, "api/v1/stats/zones/" + id)),
            .. organizationIds.Take(20).Select(id => new LoadRequest(EndpointClass.Stats, "api/v1/stats/organizations/" + id)),
        ];

        // Conditional GETs of a sample of every class, each with the ETag its URL answered with just now.
        var conditional = new List<LoadRequest>();
        List<List<LoadRequest>> sources = [byId, zoneById, lists, stats];
        for (var i = 0; conditional.Count < ConditionalSample && i < sources.Max(s => s.Count); i++)
        {
            foreach (var source in sources.Where(s => i < s.Count && conditional.Count < ConditionalSample))
            {
                using var response = await client.GetAsync(source[i].Path, cancellationToken);
                var etag = response.Headers.ETag?.ToString();
                if (response.StatusCode != System.Net.HttpStatusCode.OK || etag is null)
                {
                    throw new InvalidOperationException($"GET {source[i].Path}: {(int)response.StatusCode}, ETag {etag ?? "none"}: the load needs 200 with an ETag.");
                }

                conditional.Add(new LoadRequest(EndpointClass.Conditional, source[i].Path, etag));
            }
        }

        return new LoadPlan([byId, zoneById, lists, stats, conditional]);
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!
            : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private static List<string> Ids(JsonNode list) => [.. list["value"]!.AsArray().Select(e => e!["id"]!.GetValue<string>())];
}

/// <summary>What one class of request (or all of them) did during a load.</summary>
internal sealed record LoadFigures(string Name, int Requests, int Errors, Latencies Latency, double PerSecond, IReadOnlyDictionary<int, int> Statuses);

internal sealed record LoadResult(TimeSpan Elapsed, int Concurrency, IReadOnlyList<LoadFigures> Classes, LoadFigures Overall, IReadOnlyList<string> ErrorSamples)
{
    public LoadFigures For(EndpointClass endpointClass) => Classes.Single(c => c.Name == endpointClass.ToString());
}

/// <summary>
/// A bounded mixed read load: <c>concurrency</c> loops, each sending the plan's next request and waiting for
/// its whole response, until <c>duration</c> has passed or <c>maxRequests</c> have been sent. An error is any
/// status other than the one expected (200, or 304 for a conditional GET), or a request that failed.
/// </summary>
internal static class LoadLoop
{
    public static async Task<LoadResult> RunAsync(HttpClient client, LoadPlan plan, TimeSpan duration, int concurrency, long maxRequests, CancellationToken cancellationToken = default)
    {
        long issued = -1;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var samples = new List<(EndpointClass Class, double Ms, int Status, bool Error, string Path)>();
            while (stopwatch.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref issued);
                if (n >= maxRequests)
                {
                    break;
                }

                var request = plan.Request(n);
                using var message = new HttpRequestMessage(HttpMethod.Get, request.Path);
                if (request.IfNoneMatch is { } etag)
                {
                    message.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(message, cancellationToken);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    status = 0;
                }

                samples.Add((request.Class, Stopwatch.GetElapsedTime(started).TotalMilliseconds, status, status != request.ExpectedStatus, request.Path));
            }

            return samples;
        }, cancellationToken)).ToArray();
        var all = (await Task.WhenAll(workers)).SelectMany(s => s).ToList();
        var elapsed = stopwatch.Elapsed;

        LoadFigures Figures(string name, IReadOnlyCollection<(EndpointClass Class, double Ms, int Status, bool Error, string Path)> samples) => new(
            name,
            samples.Count,
            samples.Count(s => s.Error),
            Latencies.From(samples.Select(s => s.Ms)),
            samples.Count / elapsed.TotalSeconds,
            samples.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count()));

        return new LoadResult(
            elapsed,
            concurrency,
            [.. Enum.GetValues<EndpointClass>().Select(c => Figures(c.ToString(), [.. all.Where(s => s.Class == c)]))],
            Figures("all", all),
            [.. all.Where(s => s.Error).Select(s => $"{s.Status} GET {s.Path}").Distinct().Take(10)]);
    }
}

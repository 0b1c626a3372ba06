using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// Every change on the record, over HTTP: a scripted sequence of writes is exactly the entity's history
/// (an unchanged write adds nothing; a deleted entity's history stays), who and why are what the platform
/// vouches for, and the change feed replayed into empty storage reproduces the data.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ChangeHistoryTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync() =>
        server = await ApiServer.StartAsync(configure: o => o.Settings["Storage:ChangeFeedSettleMilliseconds"] = "200");

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? reason = null, int expected = 200)
    {
        if (reason is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Change-Reason", reason);
        }

        var response = await server.Client.SendAsync(request);
        Assert.True((int)response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private async Task<JsonArray> HistoryAsync(string path) =>
        [.. (await server.GetAllPagesAsync(path + "?maxpagesize=2")).SelectMany(p => p).Select(c => c!.DeepClone())];

    [Fact]
    public async Task TheHistoryOfAZoneIsExactlyTheWritesThatChangedIt()
    {
        const string path = "api/v1/zones/history-zone";
        (await SendAsync(WriteRequests.Put(path, WriteRequests.Zone("First")), "opened", 201)).Dispose();
        (await SendAsync(WriteRequests.Patch(path, """{"district": "Chaoyang"}"""), "moved")).Dispose();
        (await SendAsync(WriteRequests.Put(path, WriteRequests.Zone("First", district: "Chaoyang")))).Dispose(); // what is stored: no change
        (await SendAsync(WriteRequests.Put(path, WriteRequests.Zone("Second", district: "Chaoyang")), "renamed")).Dispose();
        (await SendAsync(WriteRequests.Delete(path), "closed", 204)).Dispose();

        var history = await HistoryAsync(path + "/history");
        Assert.Equal(["deleted", "replaced", "patched", "created"], history.Select(c => c!["change"]!.GetValue<string>()));
        Assert.Equal(["closed", "renamed", "moved", "opened"], history.Select(c => c!["reason"]!.GetValue<string>()));
        Assert.All(history, c => Assert.Equal(new JsonObject { ["type"] = "zone", ["id"] = "history-zone" }.ToJsonString(), c!["entity"]!.ToJsonString()));
        Assert.All(history, c => Assert.Equal("function-key", c!["by"]!["kind"]!.GetValue<string>()));
        Assert.All(history, c => Assert.False(string.IsNullOrEmpty(c!["traceId"]?.GetValue<string>())));
        Assert.Equal(4, history.Select(c => c!["changeSet"]!.GetValue<string>()).Distinct().Count());

        // Each change holds what the entity was before and after it, and they chain.
        var (deleted, replaced, patched, created) = (history[0]!, history[1]!, history[2]!, history[3]!);
        Assert.Null(created["before"]);
        Assert.Equal("First", created["after"]!["name"]!.GetValue<string>());
        Assert.Equal("Haidian", patched["before"]!["district"]!.GetValue<string>());
        Assert.Equal("Chaoyang", patched["after"]!["district"]!.GetValue<string>());
        Assert.Equal("Second", replaced["after"]!["name"]!.GetValue<string>());
        Assert.Equal(replaced["after"]!.ToJsonString(), deleted["before"]!.ToJsonString());
        Assert.Null(deleted["after"]);
        Assert.Equal(created["after"]!.ToJsonString(), patched["before"]!.ToJsonString());
        var times = history.Select(c => c!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        // A list like every other: CSV with the same names, and a 304 for the caller's current copy.
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, path + "/history");
        csvRequest.Headers.TryAddWithoutValidation("Accept", "text/csv");
        using var csv = await server.Client.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,changeSet,entity.type,entity.id,change,at,traceId,by.kind,", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        using var first = await server.Client.GetAsync(path + "/history");
        using var again = new HttpRequestMessage(HttpMethod.Get, path + "/history");
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task APrincipalHeaderThePlatformDidNotSetIsNotBelievedAndABadReasonChangesNothing()
    {
        const string path = "api/v1/organizations/history-org";
        var request = WriteRequests.Put(path, WriteRequests.Organization());
        request.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL-NAME", "someone@example.com");
        request.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL-ID", "00000000-0000-0000-0000-000000000001");
        (await SendAsync(request, expected: 201)).Dispose();
        var change = Assert.Single(await HistoryAsync(path + "/history"))!;
        Assert.Equal("""{"kind":"function-key","name":null,"id":null,"identityProvider":null}""", change["by"]!.ToJsonString());

        using var refused = await SendAsync(WriteRequests.Patch(path, """{"name": "Renamed"}"""), new string('x', 501), 400);
        var problem = await HttpAssert.ProblemAsync(refused, 400, "InvalidHeader");
        Assert.Contains("X-Change-Reason", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Single(await HistoryAsync(path + "/history"));
        Assert.Equal("Test Organization", (await server.GetJsonAsync(path))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task RelationsAndObservationsHaveHistoriesAndAnEntityThatNeverWasIsA404()
    {
        const string relation = "api/v1/organizations/world-internet-conference/relations/located-in/zone/zhongguancun-science-city";
        (await SendAsync(WriteRequests.Put(relation, WriteRequests.Relation), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Delete(relation), expected: 204)).Dispose();
        var relationHistory = await HistoryAsync(relation + "/history");
        Assert.Equal(["deleted", "created"], relationHistory.Select(c => c!["change"]!.GetValue<string>()));
        Assert.Equal("world-internet-conference/located-in/zone/zhongguancun-science-city", relationHistory[0]!["entity"]!["id"]!.GetValue<string>());

        const string metric = "api/v1/zones/zhongguancun-science-city/metrics/test-indicator/2024";
        (await SendAsync(WriteRequests.Put(metric, WriteRequests.Metric("1.50")), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Patch(metric, """{"value": 2.75}"""))).Dispose();
        var metricHistory = await HistoryAsync(metric + "/history");
        Assert.Equal(["patched", "created"], metricHistory.Select(c => c!["change"]!.GetValue<string>()));
        Assert.Equal("2.75", metricHistory[0]!["after"]!["value"]!.ToJsonString());
        Assert.Equal("1.50", metricHistory[0]!["before"]!["value"]!.ToJsonString());

        // The zone's observations list still lists its live observations only.
        var observations = await server.GetJsonAsync("api/v1/zones/zhongguancun-science-city/metrics");
        Assert.All(observations["value"]!.AsArray(), o => Assert.DoesNotContain("~", o!["indicator"]!.GetValue<string>(), StringComparison.Ordinal));

        using var missing = await server.Client.GetAsync("api/v1/zones/no-such-zone/history");
        await HttpAssert.ProblemAsync(missing, 404, "ZoneNotFound");
        using var malformed = await server.Client.GetAsync("api/v1/changes?since=yesterday");
        await HttpAssert.ProblemAsync(malformed, 400, "InvalidQueryParameterValue");
    }

    [Fact]
    public async Task TheFeedsNextLinkReplacesSinceWhateverCaseItWasSentIn()
    {
        // Query parameters are matched without regard to case, so SINCE is since: the next page's link must
        // carry one since, the new position, or following it would be a repeated parameter (400).
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // the feed's settle time after the Beijing import, and then some
        var first = await server.GetJsonAsync("api/v1/changes?maxpagesize=1");
        var start = first["value"]![0]!["position"]!.GetValue<string>();
        var page = await server.GetJsonAsync("api/v1/changes?MaxPageSize=1&SINCE=" + start);
        var position = page["value"]![0]!["position"]!.GetValue<string>();
        Assert.True(string.CompareOrdinal(position, start) > 0, $"{position} is not after {start}");

        var nextLink = new Uri(page["nextLink"]!.GetValue<string>());
        Assert.Equal("?MaxPageSize=1&since=" + position, nextLink.Query);
        using var next = await server.Client.GetAsync(nextLink.PathAndQuery.TrimStart('/'));
        Assert.Equal(200, (int)next.StatusCode);
        var after = JsonNode.Parse(await next.Content.ReadAsStringAsync())!["value"]![0]!["position"]!.GetValue<string>();
        Assert.True(string.CompareOrdinal(after, position) > 0, $"{after} is not after {position}");
    }

    [Fact]
    public async Task TheFeedReplayedIntoEmptyStorageReproducesTheData()
    {
        (await SendAsync(WriteRequests.Put("api/v1/zones/feed-zone", WriteRequests.Zone("Feed Zone")), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Patch("api/v1/zones/feed-zone", """{"name": "Feed Zone, renamed"}"""))).Dispose();
        (await SendAsync(WriteRequests.Put("api/v1/organizations/feed-org", WriteRequests.Organization("Feed Org")), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Put("api/v1/organizations/feed-org/relations/located-in/zone/feed-zone", WriteRequests.Relation), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Put("api/v1/zones/feed-zone/metrics/feed-indicator/2023", WriteRequests.Metric("3.00")), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Put("api/v1/organizations/gone-org", WriteRequests.Organization("Gone")), expected: 201)).Dispose();
        (await SendAsync(WriteRequests.Delete("api/v1/organizations/gone-org"), expected: 204)).Dispose();
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // the feed's settle time, and then some

        // Follow the feed a page at a time, applying each change unless what is held for its entity is newer.
        var held = new Dictionary<(string Type, string Id), (DateTimeOffset At, JsonNode? After)>();
        var changeSets = new Dictionary<string, HashSet<string>>();
        string? since = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 200, "The feed did not end");
            var page = await server.GetJsonAsync("api/v1/changes?maxpagesize=25" + (since is null ? "" : "&since=" + since));
            var changes = page["value"]!.AsArray();
            foreach (var change in changes)
            {
                var key = (change!["entity"]!["type"]!.GetValue<string>(), change["entity"]!["id"]!.GetValue<string>());
                var at = change["at"]!.GetValue<DateTimeOffset>();
                if (!held.TryGetValue(key, out var current) || current.At < at)
                {
                    held[key] = (at, change["after"]?.DeepClone());
                }

                changeSets.TryAdd(change["changeSet"]!.GetValue<string>(), []);
                changeSets[change["changeSet"]!.GetValue<string>()].Add(key.Item1);
                since = change["position"]!.GetValue<string>();
            }

            if (page["nextLink"] is null)
            {
                break;
            }
        }

        // The Beijing import is one change set holding every kind of entity.
        Assert.Contains(changeSets.Values, kinds => kinds.SetEquals(["document", "industry", "city", "zone", "organization", "relation", "metric"]));
        Assert.False(held.ContainsKey(("organization", "gone-org")) && held[("organization", "gone-org")].After is not null);

        var mirror = AzuriteFixture.NewTables();
        try
        {
            var live = held.Values.Select(v => v.After).OfType<JsonNode>().ToList();
            var types = held.Where(h => h.Value.After is not null).Select(h => h.Key.Type).ToList();
            List<T> Of<T>(string type) => [.. live.Where((_, i) => types[i] == type).Select(n => n.Deserialize<T>(ApiJson.Options)!)];
            await new DatasetImporter(mirror, new InnovationZones.Aggregates.DirtyScopes(mirror, TimeProvider.System), Microsoft.Extensions.Logging.Abstractions.NullLogger<DatasetImporter>.Instance)
                .ImportAsync(new Dataset(Of<SourceDocument>("document"), Of<Industry>("industry"), Of<City>("city"), Of<Zone>("zone"),
                    Of<Organization>("organization"), Of<Relation>("relation"), Of<MetricObservation>("metric")));
            string[] derived = ["DirtyScopes", "Aggregates", "AggregateRuns"];
            var (source, replayed) = (await TableSnapshot.ContentAsync(server.Tables, derived), await TableSnapshot.ContentAsync(mirror, derived));
            foreach (var (expected, actual) in source.Zip(replayed))
            {
                Assert.Equal(expected, actual);
            }

            Assert.Equal(source.Count, replayed.Count);
        }
        finally
        {
            await mirror.DeleteAllAsync();
        }
    }
}

using Azure.Data.Tables;
using InnovationZones.Tests.Infrastructure;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Writes;

/// <summary>PUT, PATCH and DELETE of zones over HTTP: ETags, preconditions, index entities kept in step, aggregates marked.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ZoneWriteTests : IAsyncLifetime
{
    private ApiServer server = null!;

    private HttpClient Client => server.Client;

    public async Task InitializeAsync()
    {
        server = await ApiServer.StartAsync();
        await ClearDirtyScopesAsync(server.Tables);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task PuttingANewZoneCreatesItWithAnETagAndEveryZoneRouteServesIt()
    {
        using var response = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone()));
        var created = await JsonAsync(response, 201);
        Assert.Equal("test-zone", created["id"]!.GetValue<string>());
        Assert.Equal("12.50", created["area"]!["value"]!.ToJsonString());
        Assert.EndsWith("/api/v1/zones/test-zone", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var etag = ETagOf(response);

        using var get = await Client.GetAsync("api/v1/zones/test-zone");
        Assert.Equal(etag, ETagOf(get));
        Assert.Contains("test-zone", await server.IdsAsync("api/v1/zones?kind=high-tech-zone"));
        Assert.Contains("test-zone", await server.IdsAsync("api/v1/zones?industry=semiconductor"));
        Assert.Contains("test-zone", await server.IdsAsync("api/v1/zones?city=beijing&kind=high-tech-zone"));
        Assert.Equal(["city|beijing", "industry|semiconductor", "zone|test-zone"], await DirtyScopesAsync(server.Tables));
    }

    [Fact]
    public async Task ReplacingAZoneMovesItBetweenIndexPartitionsAndRemovesStaleCopies()
    {
        using var first = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone()));
        await JsonAsync(first, 201);
        using var second = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone(kind: "industrial-park", industries: "null"), ifMatch: ETagOf(first)));
        await JsonAsync(second, 200);
        Assert.NotEqual(ETagOf(first), ETagOf(second));

        Assert.DoesNotContain("test-zone", await server.IdsAsync("api/v1/zones?kind=high-tech-zone"));
        Assert.DoesNotContain("test-zone", await server.IdsAsync("api/v1/zones?industry=semiconductor"));
        Assert.Contains("test-zone", await server.IdsAsync("api/v1/zones?kind=industrial-park"));
        var copies = new List<string>();
        await foreach (var e in server.Tables.ZoneIndex.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"test-zone"}")))
        {
            copies.Add(e.PartitionKey);
        }

        Assert.Equal(["city|beijing", "kind|industrial-park"], copies.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PuttingTheSameZoneAgainChangesNothing()
    {
        using var first = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone()));
        await JsonAsync(first, 201);
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var again = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone()));
        await JsonAsync(again, 200);
        Assert.Equal(ETagOf(first), ETagOf(again));
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task IfNoneMatchStarCreatesOnlyAndIs412WhenTheZoneExists()
    {
        using var created = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone(), ifNoneMatchAny: true));
        await JsonAsync(created, 201);
        var before = await TableSnapshot.TakeAsync(server.Tables);

        using var again = await Client.SendAsync(Put("api/v1/zones/test-zone", Zone(name: "Other"), ifNoneMatchAny: true));
        await HttpAssert.ProblemAsync(again, 412, "PreconditionFailed");
        using var existing = await Client.SendAsync(Put("api/v1/zones/huairou-science-city", Zone(), ifNoneMatchAny: true));
        await HttpAssert.ProblemAsync(existing, 412, "PreconditionFailed");
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task AStaleIfMatchIs412AndTheCurrentOneApplies()
    {
        using var get = await Client.GetAsync("api/v1/zones/huairou-science-city");
        var etag = ETagOf(get);
        using var patched = await Client.SendAsync(Patch("api/v1/zones/huairou-science-city", """{"district": "Huairou District"}""", etag));
        var zone = await JsonAsync(patched, 200);
        Assert.Equal("Huairou District", zone["district"]!.GetValue<string>());
        Assert.Equal("100.9", zone["area"]!["value"]!.ToJsonString());
        Assert.Equal("world-class-scientific-platform", zone["goals"]![0]!["id"]!.GetValue<string>());

        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var stale = await Client.SendAsync(Patch("api/v1/zones/huairou-science-city", """{"district": "Stale"}""", etag));
        var problem = await HttpAssert.ProblemAsync(stale, 412, "PreconditionFailed");
        using var staleDelete = await Client.SendAsync(Delete("api/v1/zones/huairou-science-city", etag));
        await HttpAssert.ProblemAsync(staleDelete, 412, "PreconditionFailed");
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
        Assert.Equal("Huairou District", (await server.GetJsonAsync("api/v1/zones/huairou-science-city"))["district"]!.GetValue<string>());
        Assert.Contains("ETag", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMergePatchRemovesWithNullMergesObjectsAndReplacesArrays()
    {
        using var patched = await Client.SendAsync(Patch("api/v1/zones/huairou-science-city",
            """{"district": null, "area": {"value": 101.0}, "focusIndustries": ["quantum-information"], "sources": {"district": null}}"""));
        var zone = await JsonAsync(patched, 200);
        Assert.Null(zone["district"]);
        Assert.Equal("101.0", zone["area"]!["value"]!.ToJsonString());
        Assert.Equal("km2", zone["area"]!["unit"]!.GetValue<string>());
        Assert.Equal(["quantum-information"], zone["focusIndustries"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.False(zone["sources"]!.AsObject().ContainsKey("district"));
        Assert.True(zone["sources"]!.AsObject().ContainsKey("name"));
        Assert.Contains("huairou-science-city", await server.IdsAsync("api/v1/zones?industry=quantum-information"));
        Assert.Equal(["city|beijing", "industry|quantum-information", "zone|huairou-science-city"], await DirtyScopesAsync(server.Tables));
    }

    [Fact]
    public async Task PatchingAnUnknownZoneIs404AndRemovingARequiredFieldIs400()
    {
        using var unknown = await Client.SendAsync(Patch("api/v1/zones/atlantis", """{"district": "x"}"""));
        await HttpAssert.ProblemAsync(unknown, 404, "ZoneNotFound");
        using var removed = await Client.SendAsync(Patch("api/v1/zones/huairou-science-city", """{"name": null}"""));
        var problem = await HttpAssert.ProblemAsync(removed, 400, "InvalidBody");
        Assert.Equal(["$.name"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task DeletingAZoneThatOrganizationsAreLocatedInIs409NamingThem()
    {
        using var located = await Client.SendAsync(Put("api/v1/organizations/tencent/relations/located-in/zone/huairou-science-city", Relation));
        await JsonAsync(located, 201);
        Assert.Equal(["tencent"], await server.IdsAsync("api/v1/zones/huairou-science-city/organizations"));
        Assert.Equal(["tencent"], await server.IdsAsync("api/v1/organizations?zone=huairou-science-city&namePrefix=ten"));

        using var refused = await Client.SendAsync(Delete("api/v1/zones/huairou-science-city"));
        var problem = await HttpAssert.ProblemAsync(refused, 409, "ZoneInUse");
        Assert.Contains("tencent", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("tencent", problem["referencedBy"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var unlinked = await Client.SendAsync(Delete("api/v1/organizations/tencent/relations/located-in/zone/huairou-science-city"));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, unlinked.StatusCode);
        Assert.Empty(await server.IdsAsync("api/v1/zones/huairou-science-city/organizations"));

        using var deleted = await Client.SendAsync(Delete("api/v1/zones/huairou-science-city"));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Client.GetAsync("api/v1/zones/huairou-science-city");
        await HttpAssert.ProblemAsync(gone, 404, "ZoneNotFound");
        Assert.DoesNotContain("huairou-science-city", await server.IdsAsync("api/v1/zones?city=beijing"));
        await foreach (var e in server.Tables.ZoneIndex.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"huairou-science-city"}")))
        {
            Assert.Fail($"Index entity left behind: {e.PartitionKey}");
        }

        using var again = await Client.SendAsync(Delete("api/v1/zones/huairou-science-city"));
        await HttpAssert.ProblemAsync(again, 404, "ZoneNotFound");
    }

    [Fact]
    public async Task DeletingAZoneWithObservationsIs409NamingThem()
    {
        using var refused = await Client.SendAsync(Delete("api/v1/zones/zhongguancun-science-city"));
        var problem = await HttpAssert.ProblemAsync(refused, 409, "ZoneInUse");
        Assert.Contains("rd-expenditure 2021", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(6, problem["referencedBy"]!.AsArray().Count);
    }
}

using System.Net;
using InnovationZones.Tests.Infrastructure;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Writes;

/// <summary>Writes of organizations, relations and metric observations over HTTP.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class OrganizationAndMetricWriteTests : IAsyncLifetime
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
    public async Task AnOrganizationIsCreatedRenamedAndDeletedWithItsIndexEntities()
    {
        using var created = await Client.SendAsync(Put("api/v1/organizations/test-org", Organization("Quanta Labs")));
        var organization = await JsonAsync(created, 201);
        Assert.Equal("2020-01-31", organization["established"]!.GetValue<string>());
        Assert.Equal(["test-org"], await server.IdsAsync("api/v1/organizations?namePrefix=quanta"));
        Assert.Contains("test-org", await server.IdsAsync("api/v1/organizations?industry=blockchain&type=company"));
        Assert.Contains("test-org", await server.IdsAsync("api/v1/cities/beijing/organizations"));
        Assert.Contains("test-org", await server.IdsAsync("api/v1/organizations?city=beijing&industry=blockchain"));

        using var renamed = await Client.SendAsync(Patch("api/v1/organizations/test-org", """{"name": "Zeta Labs"}""", ETagOf(created)));
        Assert.Equal("Zeta Labs", (await JsonAsync(renamed, 200))["name"]!.GetValue<string>());
        Assert.Empty(await server.IdsAsync("api/v1/organizations?namePrefix=quanta"));
        Assert.Equal(["test-org"], await server.IdsAsync("api/v1/organizations?namePrefix=zeta"));

        using var deleted = await Client.SendAsync(Delete("api/v1/organizations/test-org", ETagOf(renamed)));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await server.IdsAsync("api/v1/organizations?namePrefix=zeta"));
        Assert.DoesNotContain("test-org", await server.IdsAsync("api/v1/organizations?industry=blockchain"));
        Assert.DoesNotContain("test-org", await server.IdsAsync("api/v1/cities/beijing/organizations"));

        // Headquartered in Beijing: the city's stats change with it.
        Assert.Equal(["city|beijing", "industry|blockchain", "organization-type|company", "organization|test-org"], await DirtyScopesAsync(server.Tables));
    }

    [Fact]
    public async Task DeletingAnOrganizationWithRelationsIs409NamingThem()
    {
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var refused = await Client.SendAsync(Delete("api/v1/organizations/gsma"));
        var problem = await HttpAssert.ProblemAsync(refused, 409, "OrganizationInUse");
        Assert.Contains("world-internet-conference initiated-by organization gsma", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task ARelationIsWrittenAtBothEndsPatchedAndDeleted()
    {
        const string path = "api/v1/organizations/tencent/relations/member-of/organization/world-internet-conference";
        using var created = await Client.SendAsync(Put(path, Relation));
        Assert.Equal("member-of", (await JsonAsync(created, 201))["type"]!.GetValue<string>());
        using var get = await Client.GetAsync(path);
        Assert.Equal(ETagOf(created), ETagOf(get));
        Assert.Equal("world-internet-conference", (await JsonAsync(get, 200))["to"]!["id"]!.GetValue<string>());
        var incoming = (await server.GetJsonAsync("api/v1/organizations/world-internet-conference/relations?direction=incoming"))["value"]!.AsArray();
        Assert.Equal("tencent", Assert.Single(incoming)!["from"]!["id"]!.GetValue<string>());

        using var patched = await Client.SendAsync(Patch(path, """{"source": {"locator": "paragraph 11"}}""", ETagOf(created)));
        Assert.Equal("paragraph 11", (await JsonAsync(patched, 200))["source"]!["locator"]!.GetValue<string>());

        using var deleted = await Client.SendAsync(Delete(path, ETagOf(patched)));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await server.GetJsonAsync("api/v1/organizations/world-internet-conference/relations?direction=incoming"))["value"]!.AsArray());
        Assert.Empty((await server.GetJsonAsync("api/v1/organizations/tencent/relations?direction=outgoing"))["value"]!.AsArray());
        Assert.Equal(["organization|tencent", "organization|world-internet-conference"], await DirtyScopesAsync(server.Tables));
    }

    [Fact]
    public async Task ARelationToSomethingThatDoesNotExistIs400NamingTheTarget()
    {
        using var response = await Client.SendAsync(Put("api/v1/organizations/tencent/relations/located-in/zone/atlantis", Relation));
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidBody");
        Assert.Equal(["toId"], problem["errors"]!.AsObject().Select(e => e.Key));
        using var unknownOrg = await Client.SendAsync(Put("api/v1/organizations/nobody/relations/located-in/zone/huairou-science-city", Relation));
        await HttpAssert.ProblemAsync(unknownOrg, 404, "OrganizationNotFound");
        using var wrongKind = await Client.SendAsync(Put("api/v1/organizations/tencent/relations/initiated-by/zone/huairou-science-city", Relation));
        Assert.Equal(["toKind"], (await HttpAssert.ProblemAsync(wrongKind, 400, "InvalidBody"))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task AZoneObservationIsCreatedPatchedAndDeleted()
    {
        const string path = "api/v1/zones/huairou-science-city/metrics/patents/2023";
        using var created = await Client.SendAsync(Put(path, Metric("239.30", "count")));
        var observation = await JsonAsync(created, 201);
        Assert.Equal("239.30", observation["value"]!.ToJsonString());
        Assert.Equal("2023", observation["period"]!["value"]!.GetValue<string>());
        Assert.Equal("zone", observation["scope"]!["kind"]!.GetValue<string>());
        using var get = await Client.GetAsync(path);
        Assert.Equal(ETagOf(created), ETagOf(get));
        Assert.Equal("239.30", (await JsonAsync(get, 200))["value"]!.ToJsonString());

        using var patched = await Client.SendAsync(Patch(path, """{"qualifier": "more-than", "change": {"value": 4.5, "unit": "percent", "qualifier": "exact", "basis": "year-on-year", "comparedTo": "2022"}}""", ETagOf(created)));
        Assert.Equal("more-than", (await JsonAsync(patched, 200))["qualifier"]!.GetValue<string>());
        var listed = Assert.Single((await server.GetJsonAsync("api/v1/zones/huairou-science-city/metrics?indicator=patents"))["value"]!.AsArray())!;
        Assert.Equal("4.5", listed["change"]!["value"]!.ToJsonString());

        using var deleted = await Client.SendAsync(Delete(path));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await server.GetJsonAsync("api/v1/zones/huairou-science-city/metrics"))["value"]!.AsArray());
        using var gone = await Client.GetAsync(path);
        await HttpAssert.ProblemAsync(gone, 404, "MetricObservationNotFound");
        Assert.Equal(["zone|huairou-science-city"], await DirtyScopesAsync(server.Tables));
    }

    [Fact]
    public async Task ACityObservationIsReplacedWithItsETag()
    {
        const string path = "api/v1/cities/beijing/metrics/innovation-platforms-area-share/2022";
        using var get = await Client.SendAsync(Put(path, Metric("6", "percent")));
        var replaced = await JsonAsync(get, 200);
        Assert.Equal("6", replaced["value"]!.ToJsonString());
        Assert.Equal(["city|beijing"], await DirtyScopesAsync(server.Tables));
        using var unknownCity = await Client.SendAsync(Put("api/v1/cities/atlantis/metrics/x/2022", Metric()));
        await HttpAssert.ProblemAsync(unknownCity, 404, "CityNotFound");
        using var missing = await Client.SendAsync(Delete("api/v1/cities/beijing/metrics/no-such-indicator/2022"));
        await HttpAssert.ProblemAsync(missing, 404, "MetricObservationNotFound");
    }
}

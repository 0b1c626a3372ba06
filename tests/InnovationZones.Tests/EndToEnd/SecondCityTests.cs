using InnovationZones.Contracts;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>A second city is an import of data through POST v1/import, not a code change: every endpoint serves it beside Beijing.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class SecondCityTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync()
    {
        server = await ApiServer.StartAsync();

        // Through the API, as a curator would: POST v1/import with the dataset as JSON.
        var dataset = System.Text.Json.JsonSerializer.Serialize(GeneratedData.CityWithOrganizations("shenzhen", "nanshan-hub", 12), ApiJson.Options);
        using var response = await server.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import", dataset, "application/json"));
        var report = await WriteRequests.JsonAsync(response, 200);
        Assert.Equal(12, report["counts"]!["organizations"]!["created"]!.GetValue<int>());
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task BothCitiesAndTheirZonesAreServed()
    {
        Assert.Equal(["beijing", "shenzhen"], await server.IdsAsync("api/v1/cities"));
        Assert.Equal(["nanshan-hub"], await server.IdsAsync("api/v1/zones?city=shenzhen"));
        Assert.Equal(4, (await server.IdsAsync("api/v1/zones?city=beijing")).Count);
        Assert.Equal(5, (await server.IdsAsync("api/v1/zones")).Count);
        Assert.Equal(["nanshan-hub"], await server.IdsAsync("api/v1/zones?kind=high-tech-zone"));
        Assert.Equal(["nanshan-hub"], await server.IdsAsync("api/v1/zones?industry=robotics"));
    }

    [Fact]
    public async Task TheNewOrganizationsAreServedByEveryOrganizationRoute()
    {
        Assert.Equal(19, (await server.IdsAsync("api/v1/organizations")).Count);
        Assert.Equal(12, (await server.IdsAsync("api/v1/zones/nanshan-hub/organizations")).Count);
        Assert.Equal(6, (await server.IdsAsync("api/v1/organizations?type=company")).Count);
        Assert.Equal(4, (await server.IdsAsync("api/v1/organizations?industry=robotics")).Count);
        Assert.Equal(2, (await server.IdsAsync("api/v1/organizations?zone=nanshan-hub&industry=robotics&type=company")).Count);
        var relations = (await server.GetJsonAsync("api/v1/organizations/nanshan-hub-org-0003/relations"))["value"]!.AsArray();
        Assert.Equal("located-in", Assert.Single(relations)!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task BeijingIsUnchangedBesideIt()
    {
        var zone = await server.GetJsonAsync("api/v1/zones/huairou-science-city");
        Assert.Equal("100.9", zone["area"]!["value"]!.ToJsonString());
        Assert.Equal(2, (await server.GetJsonAsync("api/v1/cities/beijing/metrics"))["value"]!.AsArray().Count);
        Assert.Empty((await server.GetJsonAsync("api/v1/cities/shenzhen/metrics"))["value"]!.AsArray());
    }
}

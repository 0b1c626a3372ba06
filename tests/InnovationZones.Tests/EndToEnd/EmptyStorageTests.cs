using System.Net;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>A fresh account, with no tables yet: lists are empty and ids are unknown; nothing fails.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class EmptyStorageTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync(loadBeijing: false);

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("api/v1/zones")]
    [InlineData("api/v1/zones?kind=science-city")]
    [InlineData("api/v1/organizations")]
    [InlineData("api/v1/organizations?type=company")]
    [InlineData("api/v1/organizations?namePrefix=a")]
    [InlineData("api/v1/cities")]
    [InlineData("api/v1/industries")]
    public async Task ListsAreEmpty(string path)
    {
        var page = await server.GetJsonAsync(path);
        Assert.Empty(page["value"]!.AsArray());
        Assert.Null(page["nextLink"]);
    }

    [Theory]
    [InlineData("api/v1/zones/zhongguancun-science-city", "ZoneNotFound")]
    [InlineData("api/v1/zones/zhongguancun-science-city/metrics", "ZoneNotFound")]
    [InlineData("api/v1/organizations/gsma/relations", "OrganizationNotFound")]
    public async Task IdsAreNotFound(string path, string code)
    {
        using var response = await server.Client.GetAsync(path);
        await HttpAssert.ProblemAsync(response, 404, code);
    }

    [Fact]
    public async Task AFilterNamingACityThatDoesNotExistIsABadRequest()
    {
        using var response = await server.Client.GetAsync("api/v1/zones?city=beijing");
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidQueryParameterValue");
        Assert.Contains("beijing", problem["errors"]!["city"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthIsHealthy()
    {
        using var response = await server.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

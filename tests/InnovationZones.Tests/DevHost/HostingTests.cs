using System.Net;
using System.Text.Json.Nodes;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.DevHost;

/// <summary>The function app's own functions, mapped from its built functions.metadata and served over HTTP.</summary>
[Trait("Category", Tier.Host)]
public sealed class HostingTests
{
    [Fact]
    public async Task EveryHttpTriggerInTheBuiltMetadataIsMappedWithItsRouteAndMethods()
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var triggers = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray()
            .Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!))
            .Where(f => f.Trigger["type"]!.GetValue<string>() == "httpTrigger")
            .ToList();
        Assert.NotEmpty(triggers);
        foreach (var (name, trigger) in triggers)
        {
            var route = "api/" + trigger["route"]!.GetValue<string>();
            var endpoint = Assert.Single(endpoints, e => e.DisplayName == "Function " + name);
            Assert.Equal(route, endpoint.RoutePattern.RawText);
            var methods = trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order(StringComparer.Ordinal);
            Assert.Equal(methods, endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task HealthAnswersThroughTheDevHost()
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);
        await server.Tables.CreateIfNotExistsAsync();

        var health = await server.GetJsonAsync("api/health");
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task LiteralRoutesWinOverParametersAndParametersOverTheCatchAll()
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);
        await server.Tables.CreateIfNotExistsAsync();

        var zones = await server.GetJsonAsync("api/v1/zones");
        Assert.Empty(zones["value"]!.AsArray());
        using var zone = await server.Client.GetAsync("api/v1/zones/no-such-zone");
        await HttpAssert.ProblemAsync(zone, 404, "ZoneNotFound");
    }

    [Theory]
    [InlineData("GET", "api/no/such/route", 404, "RouteNotFound")]
    [InlineData("POST", "api/v1/zones", 405, "MethodNotAllowed")]
    [InlineData("DELETE", "api", 404, "RouteNotFound")]
    public async Task AnUnmatchedPathUnderTheRoutePrefixReachesTheAppsCatchAll(string method, string path, int status, string code)
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);

        using var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await HttpAssert.ProblemAsync(response, status, code);
    }

    [Fact]
    public async Task HostStatusAnswersRunning()
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);

        var status = await server.GetJsonAsync("admin/host/status");
        Assert.Equal("Running", status["state"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(status["id"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(status["version"]!.GetValue<string>()));
        Assert.True(status["processUptime"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task TheAdminApiAnswers404ForAnUnknownFunction()
    {
        await using var server = await ApiServer.StartAsync(loadBeijing: false);

        using var response = await server.InvokeAdminAsync("NoSuchFunction");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}

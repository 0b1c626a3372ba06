using System.Net;
using InnovationZones.Tests.Infrastructure;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Writes;

/// <summary>Optimistic concurrency: concurrent writes never lose an update.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int Clients = 20;
    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task TwentyPatchesWithTheSameIfMatchLetExactlyOneThrough()
    {
        using var get = await server.Client.GetAsync("api/v1/zones/future-science-city");
        var etag = ETagOf(get);

        var responses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i =>
        {
            using var response = await server.Client.SendAsync(Patch("api/v1/zones/future-science-city", $$"""{"district": "District {{i}}"}""", etag));
            return (Client: i, Status: (int)response.StatusCode, ETag: response.Headers.ETag?.ToString(), Body: await response.Content.ReadAsStringAsync());
        }));

        var winner = Assert.Single(responses, r => r.Status == 200);
        Assert.All(responses.Where(r => r.Client != winner.Client), r =>
        {
            Assert.Equal(412, r.Status);
            Assert.Contains("PreconditionFailed", r.Body, StringComparison.Ordinal);
        });

        using var after = await server.Client.GetAsync("api/v1/zones/future-science-city");
        var zone = await JsonAsync(after, 200);
        Assert.Equal($"District {winner.Client}", zone["district"]!.GetValue<string>());
        Assert.Equal(winner.ETag, ETagOf(after));
        Assert.Equal("170.6", zone["area"]!["value"]!.ToJsonString());
    }

    [Fact]
    public async Task PatchesWithoutPreconditionsToDifferentFieldsAllSurvive()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var body = $$"""{"sources": {"field{{i}}": {"document": "{{Document}}", "locator": "paragraph {{i}}"} } }""";
            using var response = await server.Client.SendAsync(Patch("api/v1/zones/future-science-city", body));
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var sources = (await server.GetJsonAsync("api/v1/zones/future-science-city"))["sources"]!.AsObject();
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal($"paragraph {i}", sources[$"field{i}"]!["locator"]!.GetValue<string>()));
    }
}

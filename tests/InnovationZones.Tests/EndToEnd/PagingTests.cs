using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>Server-driven paging over continuation tokens: complete, ordered, and tamper-proof.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class PagingTests(PagingTests.Server server) : IClassFixture<PagingTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Api = await ApiServer.StartAsync(loadBeijing: false);
            await Api.ImportAsync(GeneratedData.CityWithOrganizations("gen-city", "gen-zone", 250));
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    private ApiServer Api => server.Api;

    [Theory]
    [InlineData("api/v1/zones/gen-zone/organizations?maxpagesize=100", 250)]
    [InlineData("api/v1/organizations?zone=gen-zone&maxpagesize=100", 250)]
    [InlineData("api/v1/organizations?maxpagesize=100", 250)]
    [InlineData("api/v1/organizations?type=company&maxpagesize=100", 125)]
    [InlineData("api/v1/organizations?namePrefix=generated%20organization%200&maxpagesize=100", 250)]
    public async Task PagesCoverEveryItemOnceInOrderAndTheLastHasNoNextLink(string path, int expected)
    {
        var pages = await Api.GetAllPagesAsync(path);
        var ids = pages.SelectMany(p => p).Select(o => o!["id"]!.GetValue<string>()).ToList();

        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal((expected + 99) / 100, pages.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(100, p.Count));
    }

    [Fact]
    public async Task NextLinkIsAbsoluteAndKeepsTheFilters()
    {
        var page = await Api.GetJsonAsync("api/v1/organizations?type=company&maxpagesize=10");
        var nextLink = new Uri(page["nextLink"]!.GetValue<string>());
        Assert.True(nextLink.IsAbsoluteUri);
        Assert.Equal(Api.Client.BaseAddress!.Authority, nextLink.Authority);
        Assert.Contains("type=company", nextLink.Query, StringComparison.Ordinal);
        Assert.Contains("maxpagesize=10", nextLink.Query, StringComparison.Ordinal);
        Assert.Contains("continuationToken=", nextLink.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenFromAnotherQueryIsRejected()
    {
        var token = await TokenAsync("api/v1/organizations?type=company&maxpagesize=10");
        using var response = await Api.Client.GetAsync($"api/v1/organizations?type=research-institute&maxpagesize=10&continuationToken={token}");
        await HttpAssert.ProblemAsync(response, 400, "InvalidContinuationToken");
        using var otherRoute = await Api.Client.GetAsync($"api/v1/zones?continuationToken={token}");
        await HttpAssert.ProblemAsync(otherRoute, 400, "InvalidContinuationToken");
    }

    [Fact]
    public async Task ATamperedOrTruncatedTokenIsRejected()
    {
        var token = await TokenAsync("api/v1/organizations?maxpagesize=10");
        var flipped = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];
        foreach (var bad in new[] { flipped, token[..(token.Length / 2)], token + "AA", "x" + token })
        {
            using var response = await Api.Client.GetAsync($"api/v1/organizations?maxpagesize=10&continuationToken={bad}");
            await HttpAssert.ProblemAsync(response, 400, "InvalidContinuationToken");
        }
    }

    [Fact]
    public async Task TheSameTokenWithAnotherPageSizeContinuesWhereItLeftOff()
    {
        var first = await Api.GetJsonAsync("api/v1/organizations?zone=gen-zone&maxpagesize=10");
        var token = Uri.EscapeDataString(QueryValue(first["nextLink"]!.GetValue<string>(), "continuationToken"));
        var second = await Api.GetJsonAsync($"api/v1/organizations?zone=gen-zone&maxpagesize=5&continuationToken={token}");
        Assert.Equal("gen-zone-org-0010", second["value"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(5, second["value"]!.AsArray().Count);
    }

    private async Task<string> TokenAsync(string path)
    {
        var page = await Api.GetJsonAsync(path);
        return Uri.EscapeDataString(QueryValue(page["nextLink"]!.GetValue<string>(), "continuationToken"));
    }

    private static string QueryValue(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query)[name].ToString();
}

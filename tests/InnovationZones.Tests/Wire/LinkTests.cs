using System.Net;
using InnovationZones.Api;
using InnovationZones.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace InnovationZones.Tests.Wire;

/// <summary>Lists send <c>Link: &lt;...&gt;; rel="next"</c> beside nextLink, both naming the address the caller used, or the configured public one.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class LinkTests(BeijingServer server) : IClassFixture<BeijingServer>
{
    private const string Paged = "api/v1/organizations?maxpagesize=2";

    private static readonly (string, string)[] Forwarded =
    [
        ("X-Forwarded-Host", "api.innovation-zones.example"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-For", "203.0.113.7"),
    ];

    /// <summary>The target of the response's <c>Link: &lt;...&gt;; rel="next"</c>, or null.</summary>
    public static string? NextLinkFrom(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var link = Assert.Single(values);
        Assert.StartsWith("<", link, StringComparison.Ordinal);
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }

    [Fact]
    public async Task EveryPageButTheLastLinksToTheNextAsItsNextLinkDoes()
    {
        string? next = Paged;
        var pages = 0;
        while (next is not null)
        {
            Assert.True(++pages <= 20);
            using var response = await server.Api.Client.GetAsync(next);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var nextLink = body["nextLink"]?.GetValue<string>();
            Assert.Equal(nextLink, NextLinkFrom(response));
            next = nextLink;
        }

        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task AnUnpagedListHasNoLinkAndAnEntityNeither()
    {
        using var list = await server.Api.Client.GetAsync("api/v1/zones");
        Assert.Null(NextLinkFrom(list));
        using var entity = await server.Api.Client.GetAsync("api/v1/zones/huairou-science-city");
        Assert.Null(NextLinkFrom(entity));
    }

    [Fact]
    public async Task ACallersOwnForwardedHeadersDoNotReachTheAppLinksNameTheAddressItUsed()
    {
        // The Functions host sets X-Forwarded-* to its own view before the worker sees the request; the dev host does the same.
        using var response = await ConditionalRequestTests.GetAsync(server.Api, Paged, [.. Forwarded, ("X-Forwarded-Prefix", "/innovation")]);
        var nextLink = await NextLinkInBodyAsync(response);
        Assert.StartsWith(server.Api.Client.BaseAddress + "api/v1/organizations?", nextLink, StringComparison.Ordinal);
        Assert.Equal(nextLink, NextLinkFrom(response));
    }

    [Fact]
    public async Task TheHostNameTheCallerUsedIsTheOneLinksName()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Paged);
        request.Headers.Host = "localhost:" + server.Api.Client.BaseAddress!.Port;
        using var response = await server.Api.Client.SendAsync(request);
        Assert.StartsWith($"http://localhost:{server.Api.Client.BaseAddress.Port}/api/v1/organizations?", await NextLinkInBodyAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredPublicBaseUrlWinsOverWhatTheRequestSays()
    {
        await using var api = await ApiServer.StartAsync(configure: o => o.Settings["Api:PublicBaseUrl"] = "https://api.innovation-zones.example/innovation/");
        using var response = await ConditionalRequestTests.GetAsync(api, Paged, Forwarded);
        var nextLink = await NextLinkInBodyAsync(response);
        Assert.StartsWith("https://api.innovation-zones.example/innovation/api/v1/organizations?", nextLink, StringComparison.Ordinal);
        Assert.Equal(nextLink, NextLinkFrom(response));

        // The page behind that link is served as usual at the app's own address.
        using var following = await api.Client.GetAsync(new Uri(nextLink).PathAndQuery["/innovation/".Length..]);
        Assert.Equal(HttpStatusCode.OK, following.StatusCode);

        using var created = await api.Client.SendAsync(WriteRequests.Put("api/v1/zones/linked-zone", WriteRequests.Zone()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("https://api.innovation-zones.example/innovation/api/v1/zones/linked-zone", created.Headers.Location?.ToString());
    }

    [Fact]
    public void ProxySettingsAddToLoopbackAndRejectWhatIsNotAnAddress()
    {
        var defaults = new ForwardedHeadersOptions();
        ProxyTrust.Configure(defaults, new ConfigurationBuilder().Build());
        Assert.Equal(ForwardedHeaders.All, defaults.ForwardedHeaders);
        Assert.Contains(IPAddress.IPv6Loopback, defaults.KnownProxies);
        Assert.Single(defaults.KnownIPNetworks);

        // Loopback stays: the Functions host forwards every request from there.
        var configured = new ForwardedHeadersOptions();
        ProxyTrust.Configure(configured, Settings(("Api:ForwardedHeaders:KnownProxies:0", "192.0.2.10"), ("Api:ForwardedHeaders:KnownProxies:1", "2001:db8::1")));
        Assert.Equal([IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::1")], configured.KnownProxies);
        Assert.Single(configured.KnownIPNetworks);

        var error = Assert.ThrowsAny<Exception>(() => ProxyTrust.Configure(new ForwardedHeadersOptions(), Settings(("Api:ForwardedHeaders:KnownProxies", "proxy.example"))));
        Assert.Contains("proxy.example", error.Message, StringComparison.Ordinal);
        error = Assert.ThrowsAny<Exception>(() => ProxyTrust.Configure(new ForwardedHeadersOptions(), Settings(("Api:ForwardedHeaders:KnownNetworks", "10.0.0.0/33"))));
        Assert.Contains("10.0.0.0/33", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.org")]
    [InlineData("ftp://api.example.org")]
    [InlineData("https://api.example.org/?x=1")]
    public void APublicBaseUrlThatIsNotAnAbsoluteHttpUrlIsRefused(string value)
    {
        var error = Assert.ThrowsAny<Exception>(() => ProxyTrust.PublicBaseUrl(Settings(("Api:PublicBaseUrl", value))));
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("https://api.example.org/v"), ProxyTrust.PublicBaseUrl(Settings(("Api:PublicBaseUrl", "https://api.example.org/v"))));
        Assert.Null(ProxyTrust.PublicBaseUrl(Settings()));
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static async Task<string> NextLinkInBodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["nextLink"]!.GetValue<string>();
    }
}

using System.Net;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.DevHost;

/// <summary>The dev host applies local.settings.json's Host.CORS and Host.CORSCredentials, as func start does.</summary>
[Trait("Category", Tier.Host)]
public sealed class CorsTests
{
    private const string App = "http://localhost:5173";

    [Fact]
    public async Task APreflightFromAnAllowedOriginIsAllowed()
    {
        await using var api = await StartAsync(App + ", https://app.example");
        using var response = await PreflightAsync(api, App);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(App, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("GET", Single(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("if-none-match", Single(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));

        using var second = await PreflightAsync(api, "https://app.example");
        Assert.Equal("https://app.example", Single(second, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task APreflightFromAnotherOriginGetsNoPermission()
    {
        await using var api = await StartAsync(App);
        using var response = await PreflightAsync(api, "http://evil.example");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task AGetFromAnAllowedOriginCarriesThePermissionBesideItsETag()
    {
        await using var api = await StartAsync(App);
        using var allowed = await GetFromAsync(api, "api/v1/zones/huairou-science-city", App);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(App, Single(allowed, "Access-Control-Allow-Origin"));
        Assert.NotNull(allowed.Headers.ETag);

        using var denied = await GetFromAsync(api, "api/v1/zones/huairou-science-city", "http://evil.example");
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AStarAllowsAnyOrigin()
    {
        await using var api = await StartAsync("*");
        using var response = await PreflightAsync(api, "http://anywhere.example");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Single(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CredentialsAreAllowedWhenCORSCredentialsIsTrue()
    {
        await using var api = await StartAsync(App, credentials: "true");
        using var response = await PreflightAsync(api, App);
        Assert.Equal(App, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task WithoutHostCorsNoOriginIsAllowed()
    {
        await using var api = await StartAsync(null);
        using var response = await PreflightAsync(api, App);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*", "true", "credentials")]
    [InlineData(App, "yes", "true or false")]
    [InlineData("localhost:5173", null, "not an origin")]
    public void SettingsThatCannotWorkFailStartupSayingWhy(string origins, string? credentials, string expected)
    {
        var options = new DevHostOptions { Urls = "http://127.0.0.1:0" };
        options.Settings["Host:CORS"] = origins;
        options.Settings["Host:CORSCredentials"] = credentials;
        var error = Assert.ThrowsAny<InvalidOperationException>(() => DevHostApp.Build(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHostSectionOfLocalSettingsIsReadAsFuncStartReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"local.settings.{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "Values": {}, "Host": { "LocalHttpPort": 7071, "CORS": "http://localhost:5173,https://app.example", "CORSCredentials": true } }""");
        try
        {
            var settings = HostFiles.ReadLocalSettingsHost(path);
            Assert.Equal("http://localhost:5173,https://app.example", settings["Host:CORS"]);
            Assert.Equal("true", settings["Host:CORSCredentials"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheCommittedLocalSettingsAllowEveryOriginWithoutCredentials()
    {
        var settings = HostFiles.ReadLocalSettingsHost(Path.Combine(AppContext.BaseDirectory, "local.settings.json"));
        Assert.Equal("*", settings["Host:CORS"]);
        Assert.Equal("false", settings["Host:CORSCredentials"]);
    }

    private static Task<ApiServer> StartAsync(string? origins, string? credentials = null) =>
        ApiServer.StartAsync(configure: o =>
        {
            // Above local.settings.json, as a test needs its own; null turns CORS off.
            o.Settings["Host:CORS"] = origins ?? "";
            o.Settings["Host:CORSCredentials"] = credentials;
        });

    private static async Task<HttpResponseMessage> PreflightAsync(ApiServer api, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/v1/zones");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match, accept");
        return await api.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetFromAsync(ApiServer api, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        return await api.Client.SendAsync(request);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.GetValues(header));
}

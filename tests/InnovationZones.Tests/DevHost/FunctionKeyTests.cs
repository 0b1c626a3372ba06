using System.Net;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.DevHost;

/// <summary>--enable-auth: function keys checked like func start --enableAuth; without it everything is open.</summary>
[Trait("Category", Tier.Host)]
public sealed class FunctionKeyTests : IDisposable
{
    private const string FunctionKey = "function-key-for-tests";
    private const string MasterKey = "master-key-for-tests";

    private readonly TestMetadata metadata = new(
        TestMetadata.Http("Keyed", "TestHttpFunctions.Hello", "test/keyed", "Function"),
        TestMetadata.Http("AdminOnly", "TestHttpFunctions.Hello", "test/admin-only", "Admin"),
        TestMetadata.Http("Open", "TestHttpFunctions.Hello", "test/open", "Anonymous"),
        TestMetadata.Timer("Yearly", "TestTimerFunctions.Tick", "0 0 0 1 1 *"));

    private readonly TimerRuns runs = TimerRuns.New();

    public void Dispose() => metadata.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task AFunctionLevelRouteWithoutTheKeyIsAnEmpty401AsTheHostSendsIt(string? key)
    {
        await using var server = await StartAsync();

        using var response = await server.Client.SendAsync(Get("api/test/keyed", key));
        await HttpAssert.UnauthorizedByTheHostAsync(response);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData(FunctionKey)]
    [InlineData(MasterKey)]
    public async Task AFunctionLevelRouteTakesTheFunctionOrMasterKeyInTheHeader(string key)
    {
        await using var server = await StartAsync();

        using var response = await server.Client.SendAsync(Get("api/test/keyed", key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AFunctionLevelRouteTakesTheKeyAsTheCodeQueryParameter()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync($"api/test/keyed?code={FunctionKey}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnAdminLevelRouteNeedsTheMasterKey()
    {
        await using var server = await StartAsync();

        using var withFunctionKey = await server.Client.SendAsync(Get("api/test/admin-only", FunctionKey));
        await HttpAssert.UnauthorizedByTheHostAsync(withFunctionKey);
        using var withMasterKey = await server.Client.SendAsync(Get("api/test/admin-only", MasterKey));
        Assert.Equal(HttpStatusCode.OK, withMasterKey.StatusCode);
    }

    [Fact]
    public async Task TheAdminApiNeedsTheMasterKey()
    {
        await using var server = await StartAsync();

        // As the host answers: no key or an unknown one is a 401 with a Bearer challenge, a function key a 403; no body.
        foreach (var (key, status) in new[] { ((string?)null, HttpStatusCode.Unauthorized), ("wrong-key", HttpStatusCode.Unauthorized), (FunctionKey, HttpStatusCode.Forbidden) })
        {
            using var hostStatus = await server.Client.SendAsync(Get("admin/host/status", key));
            using var invoke = await server.Client.SendAsync(Post("admin/functions/Yearly", key));
            foreach (var response in new[] { hostStatus, invoke })
            {
                Assert.Equal(status, response.StatusCode);
                Assert.Equal("", await response.Content.ReadAsStringAsync());
                Assert.Equal(status == HttpStatusCode.Unauthorized ? ["Bearer"] : [], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            }
        }

        Assert.False(await runs.AnyWithinAsync(300));
        using var statusWithMasterKey = await server.Client.SendAsync(Get("admin/host/status", MasterKey));
        Assert.Equal(HttpStatusCode.OK, statusWithMasterKey.StatusCode);
        using var invokeWithMasterKey = await server.Client.SendAsync(Post("admin/functions/Yearly", MasterKey));
        Assert.Equal(HttpStatusCode.Accepted, invokeWithMasterKey.StatusCode);
        await runs.NextAsync();
    }

    [Fact]
    public async Task AnAnonymousRouteNeedsNoKey()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync("api/test/open");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithoutEnableAuthEverythingIsOpen()
    {
        await using var server = await StartAsync(enableAuth: false);

        foreach (var path in new[] { "api/test/keyed", "api/test/admin-only", "admin/host/status" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task KeysNotConfiguredAreGeneratedAtStart()
    {
        await using var server = await StartAsync(configuredKeys: false);
        var keys = server.Services.GetRequiredService<FunctionKeys>();

        Assert.True(keys.FunctionKey.Length >= 32 && keys.MasterKey.Length >= 32);
        Assert.NotEqual(keys.FunctionKey, keys.MasterKey);
        using var response = await server.Client.SendAsync(Get("api/test/keyed", keys.FunctionKey));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Get(string path, string? key) => WithKey(new HttpRequestMessage(HttpMethod.Get, path), key);

    private static HttpRequestMessage Post(string path, string? key) => WithKey(
        new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"input":""}""", System.Text.Encoding.UTF8, "application/json") }, key);

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return request;
    }

    private Task<ApiServer> StartAsync(bool enableAuth = true, bool configuredKeys = true) =>
        ApiServer.StartAsync(loadBeijing: false, configure: options =>
        {
            options.MetadataPath = metadata.Path;
            options.EnableAuth = enableAuth;
            options.Settings[TimerRuns.Setting] = runs.Id;
            if (configuredKeys)
            {
                options.Settings["DevHost:FunctionKey"] = FunctionKey;
                options.Settings["DevHost:MasterKey"] = MasterKey;
            }
        });
}

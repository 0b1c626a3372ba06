using System.Net;
using InnovationZones.Tests.Infrastructure;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Writes;

/// <summary>With keys checked (the host's --enableAuth), on the app's own functions: writes need the function key, reads do not.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class WriteAuthorizationTests : IAsyncLifetime
{
    private ApiServer server = null!;

    private string FunctionKey => server.FunctionKey!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync(configure: options => options.EnableAuth = true);

    public async Task DisposeAsync() => await server.DisposeAsync();

    public static TheoryData<string, string, string?, string?> Writes => new()
    {
        { "PUT", "api/v1/zones/keyed-zone", Zone(), "application/json" },
        { "PATCH", "api/v1/zones/huairou-science-city", """{"district": "Huairou"}""", "application/merge-patch+json" },
        { "PUT", "api/v1/organizations/keyed-org", Organization(), "application/json" },
        { "PUT", "api/v1/organizations/tencent/relations/member-of/organization/world-internet-conference", Relation, "application/json" },
        { "PUT", "api/v1/cities/beijing/metrics/keyed-indicator/2024", Metric(), "application/json" },
        { "POST", "api/v1/import", """{"industries": [{"id": "keyed-industry", "name": "Keyed"}]}""", "application/json" },
        { "DELETE", "api/v1/zones/zhongguancun-science-city/metrics/unicorns/2022", null, null },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task AWriteWithoutTheKeyIs401AndChangesNothing(string method, string path, string? body, string? contentType)
    {
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var noKey = await server.Client.SendAsync(Create(new HttpMethod(method), path, body, contentType));
        await HttpAssert.UnauthorizedByTheHostAsync(noKey);
        using var wrongKey = Create(new HttpMethod(method), path, body, contentType);
        wrongKey.Headers.Add("x-functions-key", "wrong");
        using var wrong = await server.Client.SendAsync(wrongKey);
        await HttpAssert.UnauthorizedByTheHostAsync(wrong);
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task AWriteWithTheKeyInTheHeaderSucceeds(string method, string path, string? body, string? contentType)
    {
        using var request = Create(new HttpMethod(method), path, body, contentType);
        request.Headers.Add("x-functions-key", FunctionKey);
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task AWriteWithTheKeyAsTheCodeParameterSucceeds()
    {
        using var response = await server.Client.SendAsync(Put($"api/v1/zones/coded-zone?code={FunctionKey}", Zone()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ReadsNeedNoKey()
    {
        using var response = await server.Client.GetAsync("api/v1/zones/huairou-science-city");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

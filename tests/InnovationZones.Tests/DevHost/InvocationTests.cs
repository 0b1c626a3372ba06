using System.Net;
using InnovationZones.DevHost;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.DevHost;

/// <summary>How the dev host binds a function's parameters, executes its result and answers its exceptions.</summary>
[Trait("Category", Tier.Host)]
public sealed class InvocationTests : IDisposable
{
    private readonly TestMetadata metadata = new(
        TestMetadata.Http("Echo", "TestHttpFunctions.Echo", "test/echo/{number:int}/{word}", "Anonymous", "get", "post"),
        TestMetadata.Http("Conflict", "TestHttpFunctions.Conflict", "test/conflict"),
        TestMetadata.Http("Crash", "TestHttpFunctions.Crash", "test/crash"));

    public void Dispose() => metadata.Dispose();

    [Fact]
    public async Task RouteValuesBindByNameAndConvertAndAnActionResultIsExecuted()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.PostAsync("api/test/echo/42/hello", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"number":42,"word":"hello","method":"POST"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AProblemThrownByAFunctionIsTheAppsProblemResponse()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync("api/test/conflict");
        await HttpAssert.ProblemAsync(response, 409, "TestConflict");
    }

    [Fact]
    public async Task AnyOtherExceptionIsA500ProblemWithoutItsText()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync("api/test/crash");
        await HttpAssert.ProblemAsync(response, 500, "InternalError");
        Assert.DoesNotContain("internal detail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void AParameterTheDevHostCannotBindFailsStartupNamingIt()
    {
        using var unbindable = new TestMetadata(TestMetadata.Http("Unbindable", "TestHttpFunctions.Unbindable", "test/unbindable"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => DevHostApp.Build(new DevHostOptions { Urls = "http://127.0.0.1:0", MetadataPath = unbindable.Path }));
        Assert.Contains("'Unbindable'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'notARouteValue'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEntryPointThatDoesNotExistFailsStartupNamingIt()
    {
        using var missing = new TestMetadata(TestMetadata.Http("Missing", "TestHttpFunctions.NoSuchMethod", "test/missing"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => DevHostApp.Build(new DevHostOptions { Urls = "http://127.0.0.1:0", MetadataPath = missing.Path }));
        Assert.Contains("NoSuchMethod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingMetadataFileFailsStartupSayingToBuild()
    {
        var path = Path.Combine(Path.GetTempPath(), $"devhost-{Guid.NewGuid():N}", "functions.metadata");
        var error = Assert.ThrowsAny<InvalidOperationException>(() => DevHostApp.Build(new DevHostOptions { Urls = "http://127.0.0.1:0", MetadataPath = path }));
        Assert.Contains("dotnet build", error.Message, StringComparison.Ordinal);
    }

    private Task<ApiServer> StartAsync() =>
        ApiServer.StartAsync(loadBeijing: false, configure: options => options.MetadataPath = metadata.Path);
}

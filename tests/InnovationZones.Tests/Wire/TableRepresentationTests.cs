using System.Net;
using InnovationZones.DevHost;
using InnovationZones.Tests.DevHost;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace InnovationZones.Tests.Wire;

/// <summary>
/// <see cref="InnovationZones.Api.Representation.ForTable"/>, the helper that stats GETs use: JSON or CSV, an
/// ETag from the aggregate run's id, 304, and caching until the next scheduled run.
/// </summary>
[Trait("Category", Tier.Host)]
public sealed class TableRepresentationTests : IAsyncLifetime, IDisposable
{
    private readonly TestMetadata metadata = new(TestMetadata.Http("Table", "TestHttpFunctions.Table", "test/table"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 10, 59, 15, TimeSpan.Zero));
    private ApiServer api = null!;

    public async Task InitializeAsync()
    {
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        api = await ApiServer.StartAsync(loadBeijing: false, configure: o =>
        {
            o.MetadataPath = metadata.Path;
            o.TimeProvider = time;
        });
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    public void Dispose() => metadata.Dispose();

    [Fact]
    public async Task TheRunIdIsTheETagPerMediaTypeAndTheCacheLastsUntilTheNextRun()
    {
        using var json = await api.Client.GetAsync("api/test/table");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("\"run-42\"", json.Headers.ETag?.ToString());
        Assert.Equal("public, max-age=45", json.Headers.CacheControl?.ToString());
        Assert.Equal("""{"runId":"run-42","value":[{"id":"a","amount":1.50,"cell":{"text":"x, \u0022quoted\u0022","missing":null}},{"id":"b","amount":-2,"cell":null}]}""",
            await json.Content.ReadAsStringAsync());

        using var csv = await ConditionalRequestTests.GetAsync(api, "api/test/table", ("Accept", "text/csv"));
        Assert.Equal("\"run-42.csv\"", csv.Headers.ETag?.ToString());
        Assert.Equal("id,amount,cell.text,cell.missing\r\na,1.50,\"x, \"\"quoted\"\"\",\r\nb,-2,,\r\n", await csv.Content.ReadAsStringAsync());
        Assert.Contains("Accept", csv.Headers.Vary);

        using var notModified = await ConditionalRequestTests.GetAsync(api, "api/test/table", ("If-None-Match", "\"run-42\""));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var nextRun = await ConditionalRequestTests.GetAsync(api, "api/test/table?run=run-43", ("If-None-Match", "\"run-42\""));
        Assert.Equal(HttpStatusCode.OK, nextRun.StatusCode);
        Assert.Equal("\"run-43\"", nextRun.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task ARunIdThatCannotBeATagIsHashed()
    {
        using var response = await api.Client.GetAsync("api/test/table?run=run%2042");
        var tag = response.Headers.ETag!.Tag;
        Assert.DoesNotContain(" ", tag, StringComparison.Ordinal);
        Assert.Matches("^\"[A-Za-z0-9_-]+\"$", tag);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The read cache over HTTP, on either host, with its default bound (<see cref="StorageOptions.ReadCacheSeconds"/>):
/// a GET by id is answered from memory while its copy is younger than the bound, even when storage changed
/// behind the app's back, and from storage once it is older; <c>Cache-Control: no-cache</c> reads storage;
/// a 304 comes from the cached copy; a write through the API is read back at once.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ReadCacheTests(ReadCacheTests.Server fixture) : IClassFixture<ReadCacheTests.Server>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(new StorageOptions().ReadCacheSeconds);

    private ApiServer Api => fixture.Api;

    /// <summary>One host over Beijing for the class; each test changes entities of its own.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Api = await ApiServer.StartAsync(configure: o => o.Settings["Storage:ReadCacheSeconds"] = Bound.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    /// <summary>Renames the stored organization directly in storage, as another instance's write would: the app is not told.</summary>
    private async Task RenameInStorageAsync(string id, string name)
    {
        var entity = await Api.Tables.Organizations.FindMainAsync(id, CancellationToken.None) ?? throw new InvalidOperationException(id);
        var document = JsonNode.Parse(entity.GetString(TableReads.DocumentProperty))!;
        document["name"] = name;
        entity[TableReads.DocumentProperty] = document.ToJsonString();
        (await Api.Tables.Organizations.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace)).Dispose();
    }

    private async Task<(HttpStatusCode Status, string? Name, string? ETag)> GetAsync(string path, bool noCache = false, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (noCache)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        using var response = await Api.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var name = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body)!["name"]?.GetValue<string>() : null;
        return (response.StatusCode, name, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task AGetIsServedFromMemoryWithinTheBoundAndFromStorageAfterIt()
    {
        const string path = "api/v1/organizations/cnnic";
        var first = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var readAt = DateTimeOffset.UtcNow;

        await RenameInStorageAsync("cnnic", "Renamed Behind The App");
        var cached = await GetAsync(path);
        if (DateTimeOffset.UtcNow - readAt < Bound)
        {
            // Within the bound: the copy read before the change, with its own ETag.
            Assert.Equal((HttpStatusCode.OK, first.Name, first.ETag), cached);
        }

        await Task.Delay(Bound + TimeSpan.FromMilliseconds(500));
        var after = await GetAsync(path);
        Assert.Equal((HttpStatusCode.OK, "Renamed Behind The App"), (after.Status, after.Name));
        Assert.NotEqual(first.ETag, after.ETag);
        Assert.Equal(after, await GetAsync(path, noCache: true));
    }

    [Fact]
    public async Task NoCacheReadsStorageAndA304ComesFromTheCachedCopy()
    {
        const string path = "api/v1/organizations/world-internet-conference";
        var first = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var readAt = DateTimeOffset.UtcNow;

        await RenameInStorageAsync("world-internet-conference", "Changed Elsewhere");
        var notModified = await GetAsync(path, ifNoneMatch: first.ETag);
        if (DateTimeOffset.UtcNow - readAt < Bound)
        {
            // The cached copy is what the caller holds: 304, with no storage read.
            Assert.Equal((HttpStatusCode.NotModified, first.ETag), (notModified.Status, notModified.ETag));
        }

        // Cache-Control: no-cache asks storage: the caller's copy is no longer current.
        var fresh = await GetAsync(path, noCache: true, ifNoneMatch: first.ETag);
        Assert.Equal((HttpStatusCode.OK, "Changed Elsewhere"), (fresh.Status, fresh.Name));
        Assert.NotEqual(first.ETag, fresh.ETag);

        // And what it read is what the next plain GET gets.
        Assert.Equal((HttpStatusCode.OK, "Changed Elsewhere", fresh.ETag), await GetAsync(path));
    }

    [Fact]
    public async Task AWriteThroughTheApiIsReadBackAtOnce()
    {
        const string path = "api/v1/zones/read-cache-zone";
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(path)).Status); // a 404 is cached too

        using (var created = await Api.Client.SendAsync(WriteRequests.Put(path, WriteRequests.Zone("Cached Zone"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal((HttpStatusCode.OK, "Cached Zone"), Pick(await GetAsync(path)));

        using (var patched = await Api.Client.SendAsync(WriteRequests.Patch(path, """{"name": "Patched Zone"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal((HttpStatusCode.OK, "Patched Zone"), Pick(await GetAsync(path)));

        using (var deleted = await Api.Client.SendAsync(WriteRequests.Delete(path)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(path)).Status);

        static (HttpStatusCode, string?) Pick((HttpStatusCode Status, string? Name, string? ETag) read) => (read.Status, read.Name);
    }

    [Fact]
    public async Task AListsFirstPageChecksAreReadThroughTheCacheAndNoCacheReadsThem()
    {
        // A zone of its own, then a first page filtered by it: the page and the zone's point read are cached.
        const string zone = "read-cache-check-zone";
        const string list = "api/v1/organizations?zone=" + zone;
        using (var created = await Api.Client.SendAsync(WriteRequests.Put("api/v1/zones/" + zone, WriteRequests.Zone("Check Zone"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var first = await Api.Client.GetAsync(list))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Empty(JsonNode.Parse(await first.Content.ReadAsStringAsync())!["value"]!.AsArray());
        }

        var readAt = DateTimeOffset.UtcNow;

        // The zone is deleted behind the app's back, as another instance's write would.
        (await Api.Tables.Zones.DeleteEntityAsync(zone, Keys.MainRowKey(zone))).Dispose();
        using (var cached = await Api.Client.GetAsync(list))
        {
            if (DateTimeOffset.UtcNow - readAt < Bound)
            {
                // Within the bound, the zone's check is answered from memory, as a GET of the zone would be.
                Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            }
        }

        // no-cache reads the zone from storage: it is gone.
        using (var request = new HttpRequestMessage(HttpMethod.Get, list))
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
            using var fresh = await Api.Client.SendAsync(request);
            var problem = await HttpAssert.ProblemAsync(fresh, 400, "InvalidQueryParameterValue");
            Assert.Contains(zone, problem["errors"]!["zone"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // And what it read is what the next plain request gets.
        using var after = await Api.Client.GetAsync(list);
        await HttpAssert.ProblemAsync(after, 400, "InvalidQueryParameterValue");
    }
}

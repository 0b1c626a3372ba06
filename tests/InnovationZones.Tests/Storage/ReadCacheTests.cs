using Azure.Data.Tables;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Storage;

/// <summary>
/// The read cache against Azurite, counting the storage requests it makes: a hit makes none, a fresh read
/// and a read after the data was forgotten make one each, a missing row is remembered as missing, and
/// what the cache holds stays under its size limit while every read still answers the stored row.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class ReadCacheTests : IAsyncLifetime
{
    private readonly CountingTransport requests = new();
    private ServiceProvider services = null!;
    private TableClient table = null!;

    private ReadCache Cache => services.GetRequiredService<ReadCache>();

    public async Task InitializeAsync() => await StartAsync(megabytes: 64);

    private async Task StartAsync(int megabytes)
    {
        var options = AzuriteFixture.NewStorageOptions();
        options.ReadCacheMegabytes = megabytes;
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton(Options.Create(options));
        collection.AddReadCache();
        services = collection.BuildServiceProvider();
        table = InnovationZones.Extensions.CreateTableServiceClient(options, transport: requests).GetTableClient(options.TablePrefix + "Organizations");
        await table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await table.DeleteAsync();
        await services.DisposeAsync();
    }

    private async Task<TableEntity?> ReadAsync(string id, bool fresh = false) => await Cache.FindAsync(table, id, id, fresh, default);

    [Fact]
    public async Task AHitCostsNoRequestAndFreshOrForgottenReadsCostOne()
    {
        await table.AddEntityAsync(new TableEntity("a", "a") { ["Doc"] = """{"id":"a"}""", ["Count"] = 3 });
        requests.Reset();

        var first = await ReadAsync("a");
        Assert.Equal(1, requests.Count);
        var second = await ReadAsync("a");
        Assert.Equal(1, requests.Count);

        // The copy keeps the string properties, the ETag and the Timestamp: all that a GET answers with.
        Assert.Equal("""{"id":"a"}""", second!.GetString("Doc"));
        Assert.Equal(first!.ETag, second.ETag);
        Assert.Equal(first.Timestamp, second.Timestamp);
        Assert.Equal(("a", "a"), (second.PartitionKey, second.RowKey));

        // Changed behind the cache: a plain read still has the copy; a fresh one reads storage and keeps what it read.
        first["Doc"] = """{"id":"a","v":2}""";
        await table.UpdateEntityAsync(first, first.ETag, TableUpdateMode.Replace);
        requests.Reset();
        Assert.Equal("""{"id":"a"}""", (await ReadAsync("a"))!.GetString("Doc"));
        Assert.Equal("""{"id":"a","v":2}""", (await ReadAsync("a", fresh: true))!.GetString("Doc"));
        Assert.Equal("""{"id":"a","v":2}""", (await ReadAsync("a"))!.GetString("Doc"));
        Assert.Equal(1, requests.Count);

        // Forgetting the data (a write on this instance) makes the next read ask storage once.
        await Cache.ForgetDataAsync();
        Assert.NotNull(await ReadAsync("a"));
        Assert.NotNull(await ReadAsync("a"));
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task AListPageIsKeptWithItsContinuationUntilForgottenOrAskedFresh()
    {
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => table.AddEntityAsync(new TableEntity("p", $"r{i}") { ["Doc"] = $"doc {i}", ["Count"] = i })));
        const string filter = "PartitionKey eq 'p'";
        requests.Reset();

        var first = await Cache.QueryPageAsync(table, filter, 3, null, false, default);
        var again = await Cache.QueryPageAsync(table, filter, 3, null, false, default);
        Assert.Equal(1, requests.Count);
        Assert.Equal(["r0", "r1", "r2"], again.Entities.Select(e => e.RowKey));
        Assert.Equal(["doc 0", "doc 1", "doc 2"], again.Entities.Select(e => e.GetString("Doc")));
        Assert.All(again.Entities, e => Assert.Equal("p", e.PartitionKey));
        Assert.NotNull(again.ContinuationToken);
        Assert.Equal(first.ContinuationToken, again.ContinuationToken);

        // The next page is an entry of its own, and the last page says there is none after it.
        var next = await Cache.QueryPageAsync(table, filter, 3, again.ContinuationToken, false, default);
        Assert.Equal(["r3", "r4"], next.Entities.Select(e => e.RowKey));
        Assert.Null(next.ContinuationToken);
        Assert.Equal(2, requests.Count);

        // Another page size or filter is another query.
        Assert.Equal(5, (await Cache.QueryPageAsync(table, filter, 10, null, false, default)).Entities.Count);
        Assert.Single((await Cache.QueryPageAsync(table, filter + " and RowKey eq 'r4'", 10, null, false, default)).Entities);
        Assert.Equal(4, requests.Count);

        // A row added behind the cache: the kept page lacks it; a fresh read or a forgotten cache reads storage.
        await table.AddEntityAsync(new TableEntity("p", "r00") { ["Doc"] = "doc 00" });
        requests.Reset();
        Assert.Equal(["r0", "r1", "r2"], (await Cache.QueryPageAsync(table, filter, 3, null, false, default)).Entities.Select(e => e.RowKey));
        Assert.Equal(["r0", "r00", "r1"], (await Cache.QueryPageAsync(table, filter, 3, null, true, default)).Entities.Select(e => e.RowKey));
        Assert.Equal(["r0", "r00", "r1"], (await Cache.QueryPageAsync(table, filter, 3, null, false, default)).Entities.Select(e => e.RowKey));
        Assert.Equal(1, requests.Count);
        await Cache.ForgetDataAsync();
        Assert.Equal(6, (await Cache.QueryPageAsync(table, filter, 10, null, false, default)).Entities.Count);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task AMissingRowIsRememberedAsMissingUntilForgotten()
    {
        requests.Reset();
        Assert.Null(await ReadAsync("nobody"));
        Assert.Null(await ReadAsync("nobody"));
        Assert.Equal(1, requests.Count);

        await table.AddEntityAsync(new TableEntity("nobody", "nobody") { ["Doc"] = "{}" });
        await Cache.ForgetDataAsync();
        Assert.Equal("{}", (await ReadAsync("nobody"))!.GetString("Doc"));
    }

    [Fact]
    public async Task WhatTheCacheHoldsStaysUnderItsSizeLimit()
    {
        await DisposeAsync();
        await StartAsync(megabytes: 1);
        var filler = new string('x', 30_000);
        var ids = Enumerable.Range(0, 40).Select(i => $"org-{i:D2}").ToList();
        foreach (var chunk in ids.Chunk(10))
        {
            await Task.WhenAll(chunk.Select(id => table.AddEntityAsync(new TableEntity(id, id) { ["Doc"] = id + filler, ["More"] = filler })));
        }

        // 40 rows of 60,000 characters each (two strings, as a property holds at most 32K): 2.4 MB read through a cache of 1 MB.
        foreach (var id in ids.Concat(ids))
        {
            Assert.Equal(id + filler, (await ReadAsync(id))!.GetString("Doc"));
        }

        var memory = Assert.IsType<MemoryCache>(services.GetRequiredService<IMemoryCache>());
        var size = memory.GetCurrentStatistics()!.CurrentEstimatedSize!.Value;
        Assert.InRange(size, 60_000, 1024 * 1024);
    }
}

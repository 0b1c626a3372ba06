using Azure.Core;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Contracts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// Azurite stops between an import's writes (each entity with its history row, one transaction) and the
/// change feed: the import fails, every change it made is in the entities' histories and none in the feed,
/// and none is lost: the next full run puts each of them into the feed, once.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class ChangeFeedOutageTests(OutageAzurite azurite) : IClassFixture<OutageAzurite>, IAsyncLifetime
{
    private readonly StorageOptions options = Fast(azurite.NewStorageOptions());
    private readonly CountingTransport transport = new();

    public Task InitializeAsync() => azurite.EnsureStartedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static StorageOptions Fast(StorageOptions options)
    {
        options.NetworkTimeoutSeconds = 2;
        options.MaxRetries = 0;
        return options;
    }

    [Fact]
    public async Task AnOutageBetweenTheWritesAndTheFeedLosesNoChange()
    {
        var tables = AzuriteFixture.NewTables(options, transport);
        var dirty = new DirtyScopes(tables, TimeProvider.System);
        var importer = new DatasetImporter(tables, dirty, NullLogger<DatasetImporter>.Instance);
        var dataset = GeneratedData.CityWithOrganizations("feed-city", "feed-zone", 6);

        // Storage goes away at the import's first request to the feed.
        var stopped = 0;
        transport.BeforeSend = async request =>
        {
            if (await TouchesAsync(request, options.TablePrefix + "Changes") && Interlocked.Exchange(ref stopped, 1) == 0)
            {
                await azurite.StopAsync();
            }
        };
        await Assert.ThrowsAnyAsync<Exception>(() => importer.ImportAsync(dataset));
        transport.BeforeSend = null;
        Assert.Equal(1, stopped);
        await azurite.StartAsync();

        // Every entity is written with its history row; the feed has none of them.
        var unpublished = await HistoryRowsAsync(tables);
        var expected = (dataset.Documents?.Count ?? 0) + (dataset.Industries?.Count ?? 0) + (dataset.Cities?.Count ?? 0) + (dataset.Zones?.Count ?? 0)
            + (dataset.Organizations?.Count ?? 0) + (dataset.Relations?.Count ?? 0) + (dataset.Metrics?.Count ?? 0);
        Assert.Equal(expected, unpublished.Count);
        Assert.All(unpublished, row => Assert.False(row.ContainsKey(ChangeLog.PublishedProperty)));
        Assert.Empty(await FeedAsync(tables));

        // A full run within a minute leaves them to a write that may still be publishing; after it, it publishes them.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Assert.Equal(RunStatus.Succeeded, (await new AggregatesRecompute(tables, dirty, clock, NullLogger<AggregatesRecompute>.Instance).RunFullAsync(CancellationToken.None)).Status);
        Assert.Empty(await FeedAsync(tables));
        clock.Advance(ChangeFeed.InFlightGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(RunStatus.Succeeded, (await new AggregatesRecompute(tables, dirty, clock, NullLogger<AggregatesRecompute>.Instance).RunFullAsync(CancellationToken.None)).Status);

        var history = await HistoryRowsAsync(tables);
        var feed = await FeedAsync(tables);
        Assert.Equal(
            history.Select(ChangeId).Order(StringComparer.Ordinal),
            feed.Select(ChangeId).Order(StringComparer.Ordinal));
        Assert.Equal(history.Select(r => r.GetString(ChangeLog.AfterProperty)).Order(StringComparer.Ordinal), feed.Select(r => r.GetString(ChangeLog.AfterProperty)).Order(StringComparer.Ordinal));

        // And a third run finds nothing left to publish.
        Assert.Equal(RunStatus.Succeeded, (await new AggregatesRecompute(tables, dirty, clock, NullLogger<AggregatesRecompute>.Instance).RunFullAsync(CancellationToken.None)).Status);
        Assert.Equal(feed.Count, (await FeedAsync(tables)).Count);
        await tables.DeleteAllAsync();
    }

    private static string ChangeId(TableEntity row) => ApiJson.Deserialize<ChangeEntry>(row.GetString(TableReads.DocumentProperty)!).Id;

    private static async Task<List<TableEntity>> HistoryRowsAsync(Tables tables)
    {
        var rows = new List<TableEntity>();
        foreach (var table in tables.WithHistory)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {ChangeLog.LiveRowsEnd}")))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static async Task<List<TableEntity>> FeedAsync(Tables tables)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in tables.Changes.QueryAsync<TableEntity>(ChangeFeed.Filter(null, DateTimeOffset.UtcNow.AddDays(1))))
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No feed table yet: an empty feed.
        }

        return rows;
    }

    /// <summary>Whether the request reads or writes <paramref name="table"/>, alone or in a transaction.</summary>
    private static async Task<bool> TouchesAsync(Request request, string table)
    {
        if (request.Uri.Path.Contains("/" + table, StringComparison.Ordinal))
        {
            return true;
        }

        if (request.Content is null || !request.Uri.Path.EndsWith("batch", StringComparison.Ordinal))
        {
            return false;
        }

        using var body = new MemoryStream();
        await request.Content.WriteToAsync(body, default);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains("/" + table, StringComparison.Ordinal);
    }
}

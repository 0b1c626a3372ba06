using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Storage;

/// <summary>
/// A write publishes its changes to the feed and marks nothing; the full run's completion finds the history
/// rows the feed lacks (written since its last mark, older than the grace), publishes each once, and moves
/// its mark. History rows from before the mark existed say <c>Published</c>, and keep being honoured.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class ChangeFeedTests : IAsyncLifetime
{
    private readonly StorageOptions options = AzuriteFixture.NewStorageOptions();
    private readonly CountingTransport transport = new();
    private readonly Tables tables;

    public ChangeFeedTests() =>
        tables = AzuriteFixture.NewTables(options, transport);

    public Task InitializeAsync() => tables.CreateIfNotExistsAsync();

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static TableEntity City(string id, string name) =>
        new(id, id) { [TableReads.DocumentProperty] = $$"""{"id":"{{id}}","name":"{{name}}"}""" };

    private async Task<PendingChange> WriteAsync(ChangeJournal journal, string id)
    {
        await journal.PutAsync(tables.Cities, new EntityAddress("city", id), null, City(id, "City " + id), default);
        return journal.Pending.Single(c => c.HistoryRow.PartitionKey == id);
    }

    private async Task<List<string>> FeedChangeIdsAsync()
    {
        var ids = new List<string>();
        await foreach (var row in tables.Changes.QueryAsync<TableEntity>(ChangeFeed.Filter(null, DateTimeOffset.UtcNow.AddDays(1))))
        {
            ids.Add(ChangeId(row));
        }

        return ids;
    }

    private static string ChangeId(TableEntity row) => ApiJson.Deserialize<ChangeEntry>(row.GetString(TableReads.DocumentProperty)!).Id;

    [Fact]
    public async Task AWriteCostsItsTransactionAndOneFeedInsertAndMarksNoHistoryRow()
    {
        var journal = new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App));
        transport.Reset();
        var change = await WriteAsync(journal, "c-one");
        await journal.PublishAsync(default);

        // The entity with its history row (one transaction), then the feed row: nothing goes back to mark it.
        Assert.Equal(2, transport.Count);
        var history = (await tables.Cities.GetEntityAsync<TableEntity>("c-one", change.HistoryRow.RowKey)).Value;
        Assert.False(history.ContainsKey(ChangeLog.PublishedProperty));
        Assert.Equal([ChangeId(history)], await FeedChangeIdsAsync());
    }

    [Fact]
    public async Task TheFullRunPublishesOnceWhatAWriteLeftOutAndThenOnlyWhatIsNewer()
    {
        var start = DateTimeOffset.UtcNow;
        var journal = new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App));
        var published = await WriteAsync(journal, "c-published");
        await journal.PublishAsync(default);
        var left = await WriteAsync(new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App)), "c-left");

        // Within the grace the write may still be publishing: nothing. After it, only the change the feed lacks.
        Assert.Equal(0, await ChangeFeed.CompleteAsync(tables, start, default));
        var past = DateTimeOffset.UtcNow + ChangeFeed.InFlightGrace;
        Assert.Equal(1, await ChangeFeed.CompleteAsync(tables, past, default));
        Assert.Equal(
            new[] { ChangeId(published.HistoryRow), ChangeId(left.HistoryRow) }.Order(StringComparer.Ordinal),
            (await FeedChangeIdsAsync()).Order(StringComparer.Ordinal));

        // The mark moved: a later run reads nothing it has read, and publishes nothing twice.
        Assert.Equal(0, await ChangeFeed.CompleteAsync(tables, past, default));
        Assert.Equal(2, (await FeedChangeIdsAsync()).Count);

        // A change written after the mark and never published is found by the next run past its grace.
        var later = await WriteAsync(new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App)), "c-later");
        var pastLater = DateTimeOffset.UtcNow + ChangeFeed.InFlightGrace;
        Assert.Equal(1, await ChangeFeed.CompleteAsync(tables, pastLater, default));
        Assert.Contains(ChangeId(later.HistoryRow), await FeedChangeIdsAsync());
        Assert.Equal(0, await ChangeFeed.CompleteAsync(tables, pastLater, default));
        Assert.Equal(3, (await FeedChangeIdsAsync()).Count);
    }

    [Fact]
    public async Task HistoryWrittenBeforeTheMarkIsHonouredByItsPublishedFlag()
    {
        // As an earlier version stored them: one change the feed has (marked), one it lacks (unmarked).
        var journal = new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App));
        var marked = (await WriteAsync(journal, "c-marked")).HistoryRow;
        var unmarked = (await WriteAsync(journal, "c-unmarked")).HistoryRow;
        await tables.Cities.UpdateEntityAsync(new TableEntity(marked.PartitionKey, marked.RowKey) { [ChangeLog.PublishedProperty] = true }, Azure.ETag.All, TableUpdateMode.Merge);
        await tables.Cities.UpdateEntityAsync(new TableEntity(unmarked.PartitionKey, unmarked.RowKey) { [ChangeLog.PublishedProperty] = false }, Azure.ETag.All, TableUpdateMode.Merge);

        var later = DateTimeOffset.UtcNow + ChangeFeed.InFlightGrace + TimeSpan.FromSeconds(5);
        Assert.Equal(1, await ChangeFeed.CompleteAsync(tables, later, default));
        Assert.Equal([ChangeId(unmarked)], await FeedChangeIdsAsync());
        Assert.True((await tables.Cities.GetEntityAsync<TableEntity>(unmarked.PartitionKey, unmarked.RowKey)).Value.GetBoolean(ChangeLog.PublishedProperty));

        // Marked now, it is not published again, even by a run that reads from the start.
        await tables.Changes.DeleteEntityAsync(ChangeFeed.CompletedPartition, ChangeFeed.CompletedRowKey);
        Assert.Equal(0, await ChangeFeed.CompleteAsync(tables, later, default));
        Assert.Single(await FeedChangeIdsAsync());
    }
}

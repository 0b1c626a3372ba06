using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Contracts;

namespace InnovationZones.Storage;

/// <summary>
/// The change feed (table Changes): every change, in the order it was published. Partition = the day
/// published (<c>yyyyMMdd</c>, UTC), row key = its position <c>{publish ticks, D19}-{change id}</c>, so
/// that key order is feed order across partitions. A row holds a copy of the history row's change
/// (<c>Doc</c>, <c>Before</c>, <c>After</c>).
/// <para>
/// Readers see a change only once it is older than the settle time (<see cref="StorageOptions.ChangeFeedSettle"/>),
/// and a publisher that took more than half of it to insert a chunk inserts that chunk again at a fresh
/// position: so no change can appear behind a position a reader has already passed, as long as clocks
/// differ by less than half the settle time. A change can then appear twice (same change id); a mirror
/// applies a change only when it is newer than what it holds for the entity (<c>at</c>).
/// </para>
/// <para>
/// A write publishes its changes once its transactions are in, and marks nothing: a change is in the feed
/// when a feed row has its change id. A crash between the entity's transaction and the feed leaves a history
/// row with no feed row; the full run finds every such row older than <see cref="InFlightGrace"/> and
/// publishes it (<see cref="CompleteAsync"/>), so no change is lost silently.
/// </para>
/// </summary>
public static class ChangeFeed
{
    /// <summary>How long a write may still be publishing its own changes before the full run publishes them for it.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromMinutes(1);

    private const int Parallelism = 8;

    public const string PositionPattern = "^[0-9]{19}-[0-9a-f]{32}$";

    public const int PositionLength = 52;

    /// <summary>Whether <paramref name="value"/> is a feed position: what the feed gives, and all a reader may send back.</summary>
    public static bool IsPosition(string value) =>
        value.Length == PositionLength && value[19] == '-' && value.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0
        && value.AsSpan(20).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The feed position of a change published at <paramref name="ticks"/>.</summary>
    public static string Position(long ticks, string changeId) => ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + changeId;

    /// <summary>The partition of a position: the UTC day of its ticks.</summary>
    public static string Partition(string position) =>
        new DateTime(Math.Min(long.Parse(position.AsSpan(0, 19), CultureInfo.InvariantCulture), DateTime.MaxValue.Ticks), DateTimeKind.Utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The filter of the feed after <paramref name="since"/> (a position, or null: from the start), up to <paramref name="until"/>.</summary>
    public static string Filter(string? since, DateTimeOffset until)
    {
        var end = Position(until.UtcTicks, "");
        return since is null
            ? TableClient.CreateQueryFilter($"RowKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {Partition(since)} and RowKey gt {since} and RowKey lt {end}");
    }

    /// <summary>Inserts <paramref name="changes"/> into the feed. Nothing else: the feed rows are the record that it has them.</summary>
    public static async Task PublishAsync(Tables tables, IReadOnlyList<PendingChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var settle = tables.ChangeFeedSettle;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

        // In a stable order, whatever order parallel writes finished in: kinds as they came, each by id.
        var entries = changes.Select(c => (c.HistoryRow, Entry: ApiJson.Deserialize<ChangeEntry>(c.HistoryRow.GetString(TableReads.DocumentProperty)!))).ToList();
        var kinds = entries.Select(e => e.Entry.Entity.Type).Distinct(StringComparer.Ordinal).ToList();
        var ordered = entries.OrderBy(e => kinds.IndexOf(e.Entry.Entity.Type)).ThenBy(e => e.Entry.Entity.Id, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(ordered.Chunk(Batches.MaxActions), options, async (chunk, ct) =>
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var ticks = DateTime.UtcNow.Ticks;
                var rows = chunk.Select((change, i) => FeedRow(change.HistoryRow, change.Entry.Id, ticks + i)).ToList();
                foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
                {
                    var actions = partition.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
                    try
                    {
                        await Batches.SubmitAsync(tables.Changes, actions, ct);
                    }
                    catch (RequestFailedException e) when (e.Status == 404)
                    {
                        // Storage that predates the feed: its table, then the rows.
                        await tables.Changes.CreateIfNotExistsAsync(ct);
                        await Batches.SubmitAsync(tables.Changes, actions, ct);
                    }
                }

                if (Stopwatch.GetElapsedTime(started) <= settle / 2)
                {
                    break;
                }

                // Too slow: a reader may have passed these positions already. Again, at fresh ones.
            }
        });
    }

    /// <summary>
    /// Publishes every change that a crash kept out of the feed, and returns how many. It reads the history
    /// rows written since the last run's mark (<see cref="CompletedPartition"/>) and older than
    /// <see cref="InFlightGrace"/>, and the feed's change ids from a grace before that mark on; each history
    /// row whose change id the feed lacks is published. Then the mark moves up to what it read.
    /// Rows written before the feed kept this mark say <c>Published</c>: one still false is published if the
    /// feed lacks it, then marked true, as before.
    /// </summary>
    public static async Task<int> CompleteAsync(Tables tables, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = (now - InFlightGrace).UtcTicks;
        var from = await CompletedTicksAsync(tables, cancellationToken);
        if (from >= before)
        {
            return 0;
        }

        var inFeed = await FeedChangeIdsAsync(tables, Math.Max(0, from - InFlightGrace.Ticks), cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {ChangeLog.HistoryMarker} and RowKey lt {ChangeLog.HistoryMarker + "~"} and Ticks lt {before} and (Ticks ge {from} or Published eq false)");
        string[] select = ["PartitionKey", "RowKey", TableReads.DocumentProperty, ChangeLog.PublishedProperty];
        var completed = 0;
        foreach (var table in tables.WithHistory)
        {
            var missing = new List<TableEntity>();
            var legacy = new List<TableEntity>();
            try
            {
                await foreach (var row in table.QueryAsync<TableEntity>(filter, TableReads.MaxPageSize, select, cancellationToken))
                {
                    var published = row.GetBoolean(ChangeLog.PublishedProperty);
                    if (published == true)
                    {
                        continue;
                    }

                    if (!inFeed.Contains(ChangeId(row)))
                    {
                        missing.Add(row);
                    }

                    if (published == false)
                    {
                        legacy.Add(row);
                    }
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                continue;
            }

            foreach (var chunk in missing.Chunk(TableReads.MaxPageSize))
            {
                await PublishAsync(tables, await ReadWholeAsync(table, chunk, cancellationToken), cancellationToken);
                completed += chunk.Length;
            }

            await MarkPublishedAsync(table, legacy, cancellationToken);
        }

        await tables.Changes.UpsertEntityAsync(new TableEntity(CompletedPartition, CompletedRowKey) { [CompletedTicksProperty] = before }, TableUpdateMode.Replace, cancellationToken);
        return completed;
    }

    /// <summary>
    /// The partition of the feed's one row of its own: the history ticks below which every change is known to
    /// be in the feed. It sorts after every day, and its row key after every position: no feed query reads it.
    /// </summary>
    public const string CompletedPartition = "~completed";

    public const string CompletedRowKey = "history";

    private const string CompletedTicksProperty = "Ticks";

    private static async Task<long> CompletedTicksAsync(Tables tables, CancellationToken cancellationToken)
    {
        try
        {
            var row = await tables.Changes.GetEntityIfExistsAsync<TableEntity>(CompletedPartition, CompletedRowKey, cancellationToken: cancellationToken);
            return row.HasValue ? row.Value!.GetInt64(CompletedTicksProperty) ?? 0 : 0;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No feed table yet: nothing was ever published.
            await tables.Changes.CreateIfNotExistsAsync(cancellationToken);
            return 0;
        }
    }

    /// <summary>The change ids of the feed from <paramref name="fromTicks"/> on: the tail of each position, read by key range.</summary>
    private static async Task<HashSet<Guid>> FeedChangeIdsAsync(Tables tables, long fromTicks, CancellationToken cancellationToken)
    {
        var start = Position(fromTicks, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Partition(start)} and PartitionKey lt {CompletedPartition} and RowKey ge {start}");
        var ids = new HashSet<Guid>();
        await foreach (var row in tables.Changes.QueryAsync<TableEntity>(filter, TableReads.MaxPageSize, ["RowKey"], cancellationToken))
        {
            if (IsPosition(row.RowKey))
            {
                ids.Add(Guid.ParseExact(row.RowKey.AsSpan(20), "N"));
            }
        }

        return ids;
    }

    private static Guid ChangeId(TableEntity historyRow) =>
        Guid.ParseExact(ApiJson.Deserialize<ChangeEntry>(historyRow.GetString(TableReads.DocumentProperty)!).Id, "N");

    /// <summary>The history rows of <paramref name="rows"/> (read with only their change) with every property, as the feed copies them.</summary>
    private static async Task<List<PendingChange>> ReadWholeAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var whole = new ConcurrentBag<PendingChange>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var read = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: ct);
            if (read.HasValue)
            {
                whole.Add(new PendingChange(table, read.Value!));
            }
        });
        return [.. whole];
    }

    /// <summary>Marks rows written before the feed kept its own mark published, per partition.</summary>
    private static Task MarkPublishedAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (group, ct) =>
            await Batches.SubmitAsync(table, group.Select(r => new TableTransactionAction(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(r.PartitionKey, r.RowKey) { [ChangeLog.PublishedProperty] = true },
                ETag.All)), ct));

    private static TableEntity FeedRow(TableEntity historyRow, string changeId, long ticks)
    {
        var position = Position(ticks, changeId);
        var row = new TableEntity(Partition(position), position) { [TableReads.DocumentProperty] = historyRow.GetString(TableReads.DocumentProperty) };
        foreach (var property in new[] { ChangeLog.BeforeProperty, ChangeLog.AfterProperty })
        {
            if (historyRow.GetString(property) is { } document)
            {
                row[property] = document;
            }
        }

        return row;
    }

}

using System.Buffers;
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
/// A history row says whether the feed has its change (<c>Published</c>), set once the feed rows are in.
/// A crash between the entity's transaction and the feed leaves it false; the full run publishes every such
/// row older than <see cref="InFlightGrace"/> (<see cref="CompleteAsync"/>), so no change is lost silently.
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

    /// <summary>Inserts <paramref name="changes"/> into the feed, then marks their history rows published.</summary>
    public static async Task PublishAsync(Tables tables, IReadOnlyList<PendingChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var settle = tables.ChangeFeedSettle;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

        // In a stable order, whatever order parallel writes finished in: kinds as they came, each by id.
        var entries = changes.Select(c => (Change: c, Entry: ApiJson.Deserialize<ChangeEntry>(c.HistoryRow.GetString(TableReads.DocumentProperty)!))).ToList();
        var kinds = entries.Select(e => e.Entry.Entity.Type).Distinct(StringComparer.Ordinal).ToList();
        var ordered = entries.OrderBy(e => kinds.IndexOf(e.Entry.Entity.Type)).ThenBy(e => e.Entry.Entity.Id, StringComparer.Ordinal).Select(e => e.Change).ToList();
        await Parallel.ForEachAsync(ordered.Chunk(Batches.MaxActions), options, async (chunk, ct) =>
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var ticks = DateTime.UtcNow.Ticks;
                var rows = chunk.Select((change, i) => FeedRow(change.HistoryRow, ticks + i)).ToList();
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

        var marks = changes.GroupBy(c => (c.Table.Name, c.HistoryRow.PartitionKey));
        await Parallel.ForEachAsync(marks, options, async (group, ct) =>
        {
            var table = group.First().Table;
            await Batches.SubmitAsync(table, group.Select(c => new TableTransactionAction(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(c.HistoryRow.PartitionKey, c.HistoryRow.RowKey) { [ChangeLog.PublishedProperty] = true },
                ETag.All)), ct);
        });
    }

    /// <summary>
    /// Publishes every change that a crash kept out of the feed: history rows not marked published, older
    /// than <see cref="InFlightGrace"/>. Returns how many.
    /// </summary>
    public static async Task<int> CompleteAsync(Tables tables, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = (now - InFlightGrace).UtcTicks;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {ChangeLog.HistoryMarker} and RowKey lt {ChangeLog.HistoryMarker + "~"} and Published eq false and Ticks lt {before}");
        var completed = 0;
        foreach (var table in tables.WithHistory)
        {
            var found = new List<PendingChange>();
            try
            {
                await foreach (var row in table.QueryAsync<TableEntity>(filter, TableReads.MaxPageSize, cancellationToken: cancellationToken))
                {
                    found.Add(new PendingChange(table, row));
                    if (found.Count == TableReads.MaxPageSize)
                    {
                        await PublishAsync(tables, found, cancellationToken);
                        completed += found.Count;
                        found.Clear();
                    }
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                continue;
            }

            await PublishAsync(tables, found, cancellationToken);
            completed += found.Count;
        }

        return completed;
    }

    private static TableEntity FeedRow(TableEntity historyRow, long ticks)
    {
        var changeId = ApiJson.Deserialize<ChangeEntry>(historyRow.GetString(TableReads.DocumentProperty)!).Id;
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

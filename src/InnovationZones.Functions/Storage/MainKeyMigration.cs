using Azure;
using Azure.Data.Tables;

namespace InnovationZones.Storage;

/// <summary>
/// Moves main entities stored under the former key (PartitionKey = id, RowKey = "") to their key now
/// (<see cref="Keys.MainRowKey"/>: RowKey = id), with their history rows (<c>~h||{ticks}</c> to
/// <c>~h|{id}|{ticks}</c>), every property kept. Each partition moves in entity group transactions, every
/// row inserted at its new key and deleted at its old one (on the ETag read) in the same transaction: the
/// history rows first, the live row in the last transaction. So a run cut off part-way leaves the old live
/// row (or, for an entity already deleted, old history rows) for the next run to find, and never a row lost.
/// A row already at its new key wins over the old one unless the old one was written later (a write made
/// while the old key was still read, by an instance not yet updated). A transaction that loses a race
/// reads its partition again and starts over. Run by the full aggregates run, before anything else reads.
/// </summary>
public static class MainKeyMigration
{
    /// <summary>The row key of every main entity before <see cref="Keys.MainRowKey"/>.</summary>
    public const string OldRowKey = "";

    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    /// <summary>The history rows of an entity whose row key is <see cref="OldRowKey"/>.</summary>
    private static readonly string OldHistoryPrefix = ChangeLog.HistoryPrefix(OldRowKey);

    /// <summary>Rows under the former keys: old live rows and old history rows (those of deleted entities too).</summary>
    public static string OldRowsFilter => TableClient.CreateQueryFilter(
        $"RowKey eq {OldRowKey} or (RowKey ge {OldHistoryPrefix} and RowKey lt {Keys.PrefixUpperBound(OldHistoryPrefix)})");

    /// <summary>Migrates every main table (<see cref="Tables.Main"/>); returns how many rows moved.</summary>
    public static async Task<int> MigrateAsync(Tables tables, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var table in tables.Main)
        {
            moved += await MigrateAsync(table, cancellationToken);
        }

        return moved;
    }

    /// <summary>Migrates one main table: one query for the partitions that hold old rows, then each partition.</summary>
    public static async Task<int> MigrateAsync(TableClient table, CancellationToken cancellationToken)
    {
        var partitions = new List<string>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(OldRowsFilter, TableReads.MaxPageSize, ["PartitionKey"], cancellationToken))
            {
                if (partitions.Count == 0 || partitions[^1] != row.PartitionKey)
                {
                    partitions.Add(row.PartitionKey);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }

        var moved = 0;
        foreach (var partition in partitions)
        {
            moved += await MigratePartitionAsync(table, partition, cancellationToken);
        }

        return moved;
    }

    /// <summary>
    /// Moves one partition's old rows; returns how many it moved (an old row dropped for a newer one at its
    /// key counts). A transaction that loses a race reads the partition again (<see cref="ConditionalWrites.RetryAsync{T}"/>).
    /// </summary>
    public static Task<int> MigratePartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken) =>
        ConditionalWrites.RetryAsync(async _ =>
        {
            var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), TableReads.MaxPageSize, cancellationToken: cancellationToken))
            {
                rows[row.RowKey] = row;
            }

            var groups = Plan(partitionKey, rows);
            foreach (var chunk in Batches.Chunk(groups))
            {
                await ConditionalWrites.TransactAsync(table, chunk, cancellationToken);
            }

            return groups.Count;
        });

    /// <summary>
    /// The actions that move a partition's old rows, one group per old row: its history rows first, in key
    /// order, its live row last, so that the live row goes in the last transaction.
    /// </summary>
    private static List<IReadOnlyList<TableTransactionAction>> Plan(string partitionKey, IReadOnlyDictionary<string, TableEntity> rows)
    {
        var newHistoryPrefix = ChangeLog.HistoryPrefix(Keys.MainRowKey(partitionKey));
        var groups = new List<IReadOnlyList<TableTransactionAction>>();
        foreach (var old in rows.Values.Where(r => r.RowKey.StartsWith(OldHistoryPrefix, StringComparison.Ordinal)).OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            // History rows do not change once written (but for Published): one already at its new key is this one, moved.
            var newKey = newHistoryPrefix + old.RowKey[OldHistoryPrefix.Length..];
            groups.Add(rows.ContainsKey(newKey)
                ? [Delete(old)]
                : [new(TableTransactionActionType.Add, Copy(old, newKey)), Delete(old)]);
        }

        if (rows.GetValueOrDefault(OldRowKey) is { } live)
        {
            var newKey = Keys.MainRowKey(partitionKey);
            groups.Add(rows.GetValueOrDefault(newKey) switch
            {
                null => [new(TableTransactionActionType.Add, Copy(live, newKey)), Delete(live)],
                { } current when live.Timestamp > current.Timestamp =>
                    [new(TableTransactionActionType.UpdateReplace, Copy(live, newKey), current.ETag), Delete(live)],
                _ => [Delete(live)],
            });
        }

        return groups;
    }

    private static TableTransactionAction Delete(TableEntity old) =>
        new(TableTransactionActionType.Delete, new TableEntity(old.PartitionKey, old.RowKey), old.ETag);

    /// <summary>The row's properties (all but the system ones) under <paramref name="rowKey"/>.</summary>
    private static TableEntity Copy(TableEntity row, string rowKey)
    {
        var copy = new TableEntity(row.PartitionKey, rowKey);
        foreach (var (name, value) in row.Where(p => !SystemProperties.Contains(p.Key)))
        {
            copy[name] = value;
        }

        return copy;
    }
}

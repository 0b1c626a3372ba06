using Azure.Data.Tables;

namespace InnovationZones.Storage;

/// <summary>
/// Reads every row of many partitions of one table, for a bulk write that compares what it writes with
/// what is stored. Partitions of one kind (<c>zone|...</c>, <c>organization|...</c>; ids, in a main table) are
/// read together, by one query over the range of their keys from the first to the last (so a thousand
/// rows cost one round trip, and partitions with no rows cost nothing),
/// while that stays cheaper than one query per partition: once the range has taken a quarter as many
/// pages as there are partitions, the partitions it has not reached yet are read one query each.
/// </summary>
public static class StoredPartitions
{
    private const int Parallelism = 8;

    /// <summary>Partition key, then row key, to the stored entity (with <paramref name="select"/>'s properties only, when given); every requested partition is present, empty when it holds nothing.</summary>
    public static async Task<IReadOnlyDictionary<string, Dictionary<string, TableEntity>>> ReadAsync(
        TableClient table, IEnumerable<string> partitionKeys, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        var keys = partitionKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = keys.ToDictionary(k => k, _ => new Dictionary<string, TableEntity>(StringComparer.Ordinal), StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return rows;
        }

        var columns = select is null ? null : select.Union(["PartitionKey", "RowKey"], StringComparer.Ordinal).ToList();
        var unread = new List<string>();
        foreach (var group in keys.GroupBy(KindOf, StringComparer.Ordinal))
        {
            var range = group.ToList();
            unread.AddRange(range.Count == 1 ? range : await ReadRangeAsync(table, range, rows, columns, cancellationToken));
        }

        await Parallel.ForEachAsync(unread, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var partition = rows[key];
            await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey lt {ChangeLog.LiveRowsEnd}"), TableReads.MaxPageSize, columns, ct))
            {
                partition[entity.RowKey] = entity;
            }
        });
        return rows;
    }

    /// <summary>A key's kind, the text before its first separator (<c>zone</c> of <c>zone|{id}</c>): keys of one kind are read in one range.</summary>
    private static string KindOf(string partitionKey) =>
        partitionKey.IndexOf(Keys.Separator, StringComparison.Ordinal) is var at and >= 0 ? partitionKey[..at] : "";

    /// <summary>Reads the range from the first key to the last, within its page budget; returns the partitions it did not read in full.</summary>
    private static async Task<List<string>> ReadRangeAsync(
        TableClient table, List<string> keys, Dictionary<string, Dictionary<string, TableEntity>> rows, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        var budget = Math.Max(1, keys.Count / 4);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {keys[0]} and PartitionKey le {keys[^1]} and RowKey lt {ChangeLog.LiveRowsEnd}");
        string? last = null;
        var pages = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, TableReads.MaxPageSize, columns, cancellationToken).AsPages(null, TableReads.MaxPageSize))
        {
            foreach (var entity in page.Values)
            {
                if (rows.TryGetValue(entity.PartitionKey, out var partition))
                {
                    partition[entity.RowKey] = entity;
                }

                last = entity.PartitionKey;
            }

            if (page.ContinuationToken is null)
            {
                return [];
            }

            if (++pages == budget)
            {
                break;
            }
        }

        // Rows come in key order: partitions before the last one seen are complete; that one may not be.
        var unread = last is null ? keys : keys.Where(k => string.CompareOrdinal(k, last) >= 0).ToList();
        foreach (var key in unread)
        {
            rows[key].Clear();
        }

        return unread;
    }
}

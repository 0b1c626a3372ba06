using System.Globalization;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>Every entity of every app table (keys, ETag and document), to prove that something changed nothing.</summary>
public static class TableSnapshot
{
    public static async Task<List<string>> TakeAsync(Tables tables)
    {
        var rows = new List<string>();
        foreach (var table in tables.All)
        {
            try
            {
                await foreach (var entity in table.QueryAsync<TableEntity>())
                {
                    rows.Add($"{table.Name}|{entity.PartitionKey}|{entity.RowKey}|{entity.ETag}|{entity.GetString(TableReads.DocumentProperty)}");
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                rows.Add($"{table.Name} (absent)");
            }
        }

        return rows;
    }

    /// <summary>
    /// Every entity of the named tables with all of its properties (name, type and value), but not what
    /// storage stamps on each write (Timestamp, ETag): equal lists mean the same data, however it was
    /// written, so not the record of how either (history rows, the ticks of an entity's last change). A
    /// table that does not exist reads as "(absent)".
    /// </summary>
    public static async Task<List<string>> ContentsAsync(Tables tables, IEnumerable<string> names)
    {
        var rows = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>(ChangeLog.LiveRowsFilter))
                {
                    var properties = entity
                        .Where(p => p.Key is not ("Timestamp" or "odata.etag" or ChangeLog.ChangedTicksProperty))
                        .OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => $"{p.Key}:{p.Value?.GetType().Name}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}");
                    rows.Add(name + "|" + string.Join("|", properties));
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                rows.Add($"{name} (absent)");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>
    /// Every entity of every app table but <paramref name="except"/> and the change feed, named without the
    /// table prefix: what two imports into different prefixes must agree on.
    /// </summary>
    public static Task<List<string>> ContentAsync(Tables tables, params string[] except) =>
        ContentsAsync(tables, Tables.Names.Except([.. except, "Changes"], StringComparer.Ordinal));

    /// <summary>Every aggregate, without what differs between runs (its run id and time).</summary>
    public static async Task<SortedDictionary<string, string>> AggregatesAsync(Tables tables)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entity in tables.Aggregates.QueryAsync<TableEntity>())
        {
            var document = System.Text.Json.Nodes.JsonNode.Parse(entity.GetString(TableReads.DocumentProperty)!)!.AsObject();
            document.Remove("runId");
            document.Remove("computedAt");
            result[entity.PartitionKey + "|" + entity.RowKey] = document.ToJsonString();
        }

        return result;
    }

    public static async Task<List<TableEntity>> PartitionAsync(TableClient table, string partitionKey)
    {
        var entities = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")))
        {
            entities.Add(entity);
        }

        return entities;
    }
}

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
    /// storage stamps on each write (Timestamp, ETag): equal lists mean the same data, however it was written.
    /// </summary>
    public static async Task<List<string>> ContentsAsync(Tables tables, IEnumerable<string> names)
    {
        var rows = new List<string>();
        foreach (var name in names)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>())
            {
                var properties = entity
                    .Where(p => p.Key is not ("Timestamp" or "odata.etag"))
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => $"{p.Key}:{p.Value?.GetType().Name}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}");
                rows.Add(name + "|" + string.Join("|", properties));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
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

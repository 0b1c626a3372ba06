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

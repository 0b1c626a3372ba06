using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Reads for a run: every query streams page by page (at most 1000 entities held at a time) and counts
/// what it read. A table that does not exist yet reads as empty.
/// </summary>
public sealed class TableScan
{
    private long entitiesRead;

    public long EntitiesRead => Interlocked.Read(ref entitiesRead);

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        TableClient table, string? filter, [EnumeratorCancellation] CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var pages = table.QueryAsync<TableEntity>(filter, TableReads.MaxPageSize, select, cancellationToken).AsPages(null, TableReads.MaxPageSize);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            Page<TableEntity> page;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }

                page = enumerator.Current;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                yield break;
            }

            Interlocked.Add(ref entitiesRead, page.Values.Count);
            foreach (var entity in page.Values)
            {
                yield return entity;
            }
        }
    }

    public IAsyncEnumerable<TableEntity> PartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken, IEnumerable<string>? select = null) =>
        QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey lt {ChangeLog.LiveRowsEnd}"), cancellationToken, select);

    public IAsyncEnumerable<TableEntity> PrefixAsync(TableClient table, string partitionKey, string rowPrefix, CancellationToken cancellationToken, IEnumerable<string>? select = null) =>
        QueryAsync(table, TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {rowPrefix} and RowKey lt {Storage.Keys.PrefixUpperBound(rowPrefix)}"), cancellationToken, select);

    public async Task<TableEntity?> FindAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var entity = await Storage.TableReads.FindAsync(table, partitionKey, rowKey, cancellationToken);
        Interlocked.Increment(ref entitiesRead);
        return entity;
    }
}

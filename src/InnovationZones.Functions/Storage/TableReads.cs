using Azure;
using Azure.Data.Tables;
using InnovationZones.Contracts;

namespace InnovationZones.Storage;

/// <summary>One page of a query: its entities and the service's continuation, if there is more.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? ContinuationToken);

/// <summary>
/// The two reads the API makes: a point read and one page of a query. A table that does not exist yet
/// reads as empty, so a fresh account answers 404s and empty lists rather than errors.
/// </summary>
public static class TableReads
{
    public const string DocumentProperty = "Doc";

    /// <summary>The most entities Table Storage returns in one page of a query.</summary>
    public const int MaxPageSize = 1000;

    public static async Task<TableEntity?> FindAsync(
        this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>One point read of a main entity (PartitionKey = RowKey = id).</summary>
    public static Task<TableEntity?> FindMainAsync(this TableClient table, string id, CancellationToken cancellationToken) =>
        table.FindAsync(id, Keys.MainRowKey(id), cancellationToken);

    public static async Task<TablePage> QueryPageAsync(
        this TableClient table, string filter, int pageSize, string? continuationToken, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        try
        {
            var pages = table.QueryAsync<TableEntity>(filter, pageSize, select, cancellationToken)
                .AsPages(continuationToken, pageSize);
            await foreach (var page in pages.WithCancellation(cancellationToken))
            {
                return new TablePage(page.Values, page.ContinuationToken);
            }

            return new TablePage([], null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new TablePage([], null);
        }
    }

    public static T ReadDocument<T>(this TableEntity entity) =>
        ApiJson.Deserialize<T>(entity.GetString(DocumentProperty)
            ?? throw new InvalidOperationException($"Entity {entity.PartitionKey}/{entity.RowKey} has no document."));
}

using Azure;
using Azure.Data.Tables;
using InnovationZones.Api;

namespace InnovationZones.Storage;

public enum WriteOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>
/// Writes a main entity (PartitionKey = id) together with its index entities in other partitions.
/// They cannot share a transaction, so the order makes every read safe: the main entity first,
/// recording every index key that may exist (old and new); then the new index entities; then the
/// removal of stale ones; then the final key list. A crash in between leaves extra index keys on
/// record, which the reconcile repairs; it never leaves an index entry that nothing records.
/// </summary>
public static class IndexedDocuments
{
    public const string IndexKeysProperty = "IndexKeys";

    public static async Task<WriteOutcome> WriteAsync(
        TableClient main,
        TableClient index,
        string id,
        string document,
        IReadOnlyList<TableEntity> indexEntities,
        CancellationToken cancellationToken) =>
        (await WriteTrackedAsync(main, index, id, document, indexEntities, cancellationToken)).Outcome;

    /// <summary>As <see cref="WriteAsync"/>, and says what the stored document was before (null when there was none).</summary>
    public static async Task<IndexedWrite> WriteTrackedAsync(
        TableClient main,
        TableClient index,
        string id,
        string document,
        IReadOnlyList<TableEntity> indexEntities,
        CancellationToken cancellationToken)
    {
        var existing = await main.FindAsync(id, Keys.MainRowKey, cancellationToken);
        var desiredKeys = indexEntities.Select(e => new IndexKey(e.PartitionKey, e.RowKey)).ToList();
        var recordedKeys = existing is null ? [] : ReadIndexKeys(existing);
        if (existing is not null
            && existing.GetString(TableReads.DocumentProperty) == document
            && recordedKeys.ToHashSet().SetEquals(desiredKeys))
        {
            return new IndexedWrite(WriteOutcome.Unchanged, document);
        }

        var allKeys = recordedKeys.Union(desiredKeys).ToList();
        await main.UpsertEntityAsync(MainEntity(id, document, allKeys), TableUpdateMode.Replace, cancellationToken);

        foreach (var partition in indexEntities.GroupBy(e => e.PartitionKey))
        {
            await Batches.SubmitAsync(index, partition.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }

        // Stale keys are in other partitions than each other, as a rule: one delete each (a missing one is no error).
        foreach (var key in recordedKeys.Except(desiredKeys))
        {
            await index.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, cancellationToken);
        }

        if (allKeys.Count != desiredKeys.Count)
        {
            await main.UpsertEntityAsync(MainEntity(id, document, desiredKeys), TableUpdateMode.Replace, cancellationToken);
        }

        return existing is null
            ? new IndexedWrite(WriteOutcome.Created, null)
            : new IndexedWrite(WriteOutcome.Updated, existing.GetString(TableReads.DocumentProperty));
    }

    public static TableEntity IndexEntity(string partitionKey, string rowKey, string document) =>
        new(partitionKey, rowKey) { [TableReads.DocumentProperty] = document };

    private static TableEntity MainEntity(string id, string document, IReadOnlyList<IndexKey> indexKeys) =>
        new(id, Keys.MainRowKey)
        {
            [TableReads.DocumentProperty] = document,
            [IndexKeysProperty] = Json.Serialize(indexKeys),
        };

    public static IReadOnlyList<IndexKey> ReadIndexKeys(TableEntity main) =>
        main.GetString(IndexKeysProperty) is { } keys ? Json.Deserialize<List<IndexKey>>(keys) : [];
}

/// <summary>What a write of a main entity did, and the document stored before it.</summary>
public sealed record IndexedWrite(WriteOutcome Outcome, string? PreviousDocument);

/// <summary>The key of one index entity, as recorded on its main entity.</summary>
public sealed record IndexKey(string PartitionKey, string RowKey);

/// <summary>Entity group transactions: at most 100 entities, all of one partition (checked here, as Azurite does not).</summary>
public static class Batches
{
    public const int MaxActions = 100;

    public static async Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var chunk in actions.Chunk(MaxActions))
        {
            if (chunk.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() != 1)
            {
                throw new InvalidOperationException("A transaction must stay within one partition.");
            }

            if (chunk.Length == 1)
            {
                var single = chunk[0];
                if (single.ActionType == TableTransactionActionType.UpsertReplace)
                {
                    await table.UpsertEntityAsync(single.Entity, TableUpdateMode.Replace, cancellationToken);
                    continue;
                }
            }

            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }
}

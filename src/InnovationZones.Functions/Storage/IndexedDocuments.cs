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

    private const int MaxAttempts = 10;

    /// <summary>
    /// Writes the entity whatever version is stored (an import's write): read, then a write conditional
    /// on that read, read again if another write slipped in between.
    /// </summary>
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
        for (var attempt = 1; ; attempt++)
        {
            var existing = await main.FindAsync(id, Keys.MainRowKey, cancellationToken);
            try
            {
                var (outcome, _) = await WriteAsync(main, index, existing, id, document, indexEntities, cancellationToken);
                return new IndexedWrite(outcome, existing?.GetString(TableReads.DocumentProperty));
            }
            catch (ConcurrentWriteException) when (attempt < MaxAttempts)
            {
                // Read the newer version and write over it.
            }
        }
    }

    /// <summary>
    /// Writes the entity over <paramref name="existing"/> (null: creates it), conditional on that version's
    /// ETag: <see cref="ConcurrentWriteException"/> when another write got there first, before any index
    /// entity is touched. Returns the main entity's new ETag (the stored one when nothing changed).
    /// </summary>
    public static async Task<(WriteOutcome Outcome, ETag ETag)> WriteAsync(
        TableClient main,
        TableClient index,
        TableEntity? existing,
        string id,
        string document,
        IReadOnlyList<TableEntity> indexEntities,
        CancellationToken cancellationToken)
    {
        var desiredKeys = indexEntities.Select(e => new IndexKey(e.PartitionKey, e.RowKey)).ToList();
        var recordedKeys = existing is null ? [] : ReadIndexKeys(existing);
        if (existing is not null
            && existing.GetString(TableReads.DocumentProperty) == document
            && recordedKeys.ToHashSet().SetEquals(desiredKeys)
            && await IndexWrittenAsync(index, indexEntities, document, cancellationToken))
        {
            return (WriteOutcome.Unchanged, existing.ETag);
        }

        var allKeys = recordedKeys.Union(desiredKeys).ToList();
        var etag = await ConditionalWrites.PutAsync(main, existing, MainEntity(id, document, allKeys), cancellationToken);

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
            try
            {
                etag = await ConditionalWrites.ReplaceAsync(main, etag, MainEntity(id, document, desiredKeys), cancellationToken);
            }
            catch (ConcurrentWriteException)
            {
                // A later write has recorded its own keys (a superset of what it wrote): it wins, and its list stands.
            }
        }

        return (existing is null ? WriteOutcome.Created : WriteOutcome.Updated, etag);
    }

    /// <summary>
    /// Whether the index entities of a main entity already stored as wanted were all written. They are
    /// written after it, one partition after another, so a write cut off in between (an outage) shows in
    /// the last one: missing, or with an older document. Writing the same entity again (an import run
    /// again) then completes the index instead of finding nothing to do: one point read.
    /// </summary>
    private static async Task<bool> IndexWrittenAsync(TableClient index, IReadOnlyList<TableEntity> indexEntities, string document, CancellationToken cancellationToken)
    {
        if (indexEntities.GroupBy(e => e.PartitionKey).LastOrDefault()?.Last() is not { } last)
        {
            return true;
        }

        var stored = await index.FindAsync(last.PartitionKey, last.RowKey, cancellationToken);
        return stored?.GetString(TableReads.DocumentProperty) == document;
    }

    /// <summary>
    /// Deletes the entity and its index entities, conditional on <paramref name="existing"/>'s ETag. The
    /// main entity is claimed first (rewritten as it is, so a stale ETag fails before anything is
    /// removed), then its index entities go, then the main entity: an index never points at a deleted entity.
    /// </summary>
    public static async Task DeleteAsync(TableClient main, TableClient index, TableEntity existing, CancellationToken cancellationToken)
    {
        var claimed = await ConditionalWrites.ReplaceAsync(main, existing.ETag, existing, cancellationToken);
        foreach (var key in ReadIndexKeys(existing))
        {
            await index.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, cancellationToken);
        }

        await ConditionalWrites.DeleteAsync(main, existing.PartitionKey, existing.RowKey, claimed, cancellationToken);
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

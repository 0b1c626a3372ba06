using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Contracts;

namespace InnovationZones.Storage;

public enum WriteOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>
/// Writes a main entity (PartitionKey = RowKey = id) together with its index entities in other partitions.
/// They cannot share a transaction, so the order makes every read safe: the main entity first,
/// recording every index key that may exist (old and new); then the new index entities; then the
/// removal of stale ones; then the final key list. A crash in between leaves extra index keys on
/// record, which the reconcile repairs; it never leaves an index entry that nothing records. Many
/// entities at once (<see cref="WriteAllAsync"/>) keep the order for each of them: every main entity
/// of a round first, then the index entities of all of them, sharing transactions.
/// Each entity's last index entity (by partition, then row key) is its sentinel, written only after all
/// its other index entities are: so a write cut off part-way (an outage) shows as a sentinel missing or
/// holding an older document, and the same write made again (an import run again) completes the index
/// instead of finding nothing to do. That costs one point read for each entity already stored as wanted.
/// </summary>
public static class IndexedDocuments
{
    public const string IndexKeysProperty = "IndexKeys";

    private const int Parallelism = 8;

    /// <summary>
    /// How many entities <see cref="WriteAllAsync"/> writes before their index entities: index transactions
    /// fill up across them, and an outage leaves at most this many without (all of) their index entities.
    /// </summary>
    public const int Round = 1000;

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
        (await WriteAllAsync(main, index, [new DocumentWrite(id, document, indexEntities)], null, cancellationToken))[0].Outcome;

    /// <summary>
    /// Writes many entities whatever versions are stored (an import's write), each as
    /// <see cref="WriteAsync(TableClient, TableClient, string, string, IReadOnlyList{TableEntity}, CancellationToken)"/>
    /// does, in fewer round trips. In rounds of up to <see cref="Round"/> entities (in id order): their
    /// stored versions are read together (<see cref="StoredPartitions"/>); each main entity is written
    /// conditional on the version read (read again and written again when a write slipped in between);
    /// then the index entities of all of them go in transactions per index partition, stale ones are
    /// removed, and key lists trimmed. Says, in <paramref name="writes"/>' order, what each write did and
    /// what the stored document was.
    /// </summary>
    public static async Task<IReadOnlyList<IndexedWrite>> WriteAllAsync(
        TableClient main, TableClient index, IReadOnlyList<DocumentWrite> writes, EntityJournal? journal, CancellationToken cancellationToken)
    {
        var results = new IndexedWrite[writes.Count];
        foreach (var round in Enumerable.Range(0, writes.Count).OrderBy(i => writes[i].Id, StringComparer.Ordinal).Chunk(Round))
        {
            // One entity is one point read; more are read together.
            var stored = round.Length == 1 ? null : await StoredPartitions.ReadAsync(main, round.Select(i => writes[i].Id), null, cancellationToken);
            var written = new ConcurrentBag<MainWrite>();
            await Parallel.ForEachAsync(round, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var write = writes[i];
                var existing = stored?[write.Id].GetValueOrDefault(Keys.MainRowKey(write.Id));
                var step = await ConditionalWrites.RetryAsync(async attempt =>
                {
                    if (stored is null || attempt > 1)
                    {
                        existing = await main.FindMainAsync(write.Id, ct);
                    }

                    return await WriteMainAsync(main, index, existing, write.Id, write.Document, write.IndexEntities, journal, ct);
                });
                written.Add(step);
                results[i] = new IndexedWrite(step.Outcome, existing?.GetString(TableReads.DocumentProperty));
            });
            await WriteIndexAsync(main, index, [.. written], cancellationToken);
        }

        return results;
    }

    /// <summary>
    /// Writes the entity over <paramref name="existing"/> (null: creates it), conditional on that version's
    /// ETag: <see cref="ConcurrentWriteException"/> when another write got there first, before any index
    /// entity is touched. Returns the main entity's new ETag (the stored one when nothing changed).
    /// <paramref name="rewrite"/> writes it all even when the document and the keys are stored as they are:
    /// for index entities whose properties changed with something outside the document (a zone's city).
    /// </summary>
    public static async Task<(WriteOutcome Outcome, ETag ETag)> WriteAsync(
        TableClient main,
        TableClient index,
        TableEntity? existing,
        string id,
        string document,
        IReadOnlyList<TableEntity> indexEntities,
        EntityJournal? journal,
        CancellationToken cancellationToken,
        bool rewrite = false)
    {
        var write = await WriteMainAsync(main, index, existing, id, document, indexEntities, journal, cancellationToken, rewrite);
        await WriteIndexAsync(main, index, [write], cancellationToken);
        return (write.Outcome, write.ETag);
    }

    /// <summary>
    /// Step 1: the main entity, recording every index key that may exist (old and new). When it is stored
    /// as it is, nothing is written, unless its sentinel shows that its index entities were not all written
    /// (an earlier write cut off): then they are written again, and the write counts as an update.
    /// </summary>
    private static async Task<MainWrite> WriteMainAsync(
        TableClient main, TableClient index, TableEntity? existing, string id, string document, IReadOnlyList<TableEntity> indexEntities, EntityJournal? journal, CancellationToken cancellationToken,
        bool rewrite = false)
    {
        var desiredKeys = indexEntities.Select(e => new IndexKey(e.PartitionKey, e.RowKey)).ToList();
        var recordedKeys = existing is null ? [] : ReadIndexKeys(existing);
        if (!rewrite
            && existing is not null
            && existing.GetString(TableReads.DocumentProperty) == document
            && recordedKeys.ToHashSet().SetEquals(desiredKeys))
        {
            return await IndexWrittenAsync(index, indexEntities, document, cancellationToken)
                ? new MainWrite(WriteOutcome.Unchanged, id, document, [], [], [], existing.ETag)
                : new MainWrite(WriteOutcome.Updated, id, document, indexEntities, [], desiredKeys, existing.ETag);
        }

        var allKeys = recordedKeys.Union(desiredKeys).ToList();
        // Only a new document is a change: a write that moves index keys alone records none.
        var entity = MainEntity(id, document, allKeys, existing);
        var etag = journal is not null && existing?.GetString(TableReads.DocumentProperty) != document
            ? await journal.PutAsync(main, id, existing, entity, cancellationToken)
            : await ConditionalWrites.PutAsync(main, existing, entity, cancellationToken);
        return new MainWrite(existing is null ? WriteOutcome.Created : WriteOutcome.Updated, id, document, indexEntities, [.. recordedKeys.Except(desiredKeys)], desiredKeys, etag)
        {
            Trim = allKeys.Count != desiredKeys.Count,
            ChangedTicks = entity.GetInt64(ChangeLog.ChangedTicksProperty),
        };
    }

    /// <summary>The index entity written last of an entity's: the greatest key.</summary>
    private static TableEntity? Sentinel(IReadOnlyList<TableEntity> indexEntities) =>
        indexEntities.OrderBy(e => e.PartitionKey, StringComparer.Ordinal).ThenBy(e => e.RowKey, StringComparer.Ordinal).LastOrDefault();

    /// <summary>Whether all index entities of an entity stored as wanted were written: its sentinel holds its document.</summary>
    private static async Task<bool> IndexWrittenAsync(TableClient index, IReadOnlyList<TableEntity> indexEntities, string document, CancellationToken cancellationToken) =>
        Sentinel(indexEntities) is not { } sentinel
        || (await index.FindAsync(sentinel.PartitionKey, sentinel.RowKey, cancellationToken))?.GetString(TableReads.DocumentProperty) == document;

    /// <summary>
    /// Steps 2 to 4 for main entities already written: their index entities (upserts, in transactions per
    /// partition), then deletes of stale ones, then each key list that shrank trimmed (on the ETag step 1 got).
    /// </summary>
    private static async Task WriteIndexAsync(TableClient main, TableClient index, IReadOnlyList<MainWrite> writes, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

        // Every entity's sentinel goes after all its other index entities: in a second wave.
        var sentinels = writes.Select(w => Sentinel(w.IndexEntities)).OfType<TableEntity>().ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var wave in new[] { false, true })
        {
            var partitions = writes.SelectMany(w => w.IndexEntities).Where(e => sentinels.Contains(e) == wave).GroupBy(e => e.PartitionKey, StringComparer.Ordinal);
            await Parallel.ForEachAsync(partitions, options, (partition, ct) =>
                new ValueTask(Batches.SubmitAsync(index, partition.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct)));
        }

        // Stale keys are in other partitions than each other, as a rule: one delete each (a missing one is no error).
        await Parallel.ForEachAsync(writes.SelectMany(w => w.StaleKeys), options, async (key, ct) =>
            await index.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, ct));

        await Parallel.ForEachAsync(writes.Where(w => w.Trim), options, async (write, ct) =>
        {
            try
            {
                var trimmed = MainEntity(write.Id, write.Document, write.DesiredKeys);
                if (write.ChangedTicks is { } ticks)
                {
                    trimmed[ChangeLog.ChangedTicksProperty] = ticks;
                }

                write.ETag = await ConditionalWrites.ReplaceAsync(main, write.ETag, trimmed, ct);
            }
            catch (ConcurrentWriteException)
            {
                // A later write has recorded its own keys (a superset of what it wrote): it wins, and its list stands.
            }
        });
    }

    /// <summary>
    /// Deletes the entity and its index entities, conditional on <paramref name="existing"/>'s ETag. The
    /// main entity is claimed first (rewritten as it is, so a stale ETag fails before anything is
    /// removed), then its index entities go, then the main entity: an index never points at a deleted entity.
    /// </summary>
    public static async Task DeleteAsync(TableClient main, TableClient index, TableEntity existing, EntityJournal journal, CancellationToken cancellationToken)
    {
        var claimed = await ConditionalWrites.ReplaceAsync(main, existing.ETag, existing, cancellationToken);
        foreach (var key in ReadIndexKeys(existing))
        {
            await index.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, cancellationToken);
        }

        await journal.DeleteAsync(main, existing.PartitionKey, existing, claimed, cancellationToken);
    }

    public static TableEntity IndexEntity(string partitionKey, string rowKey, string document) =>
        new(partitionKey, rowKey) { [TableReads.DocumentProperty] = document };

    /// <summary>The main entity as a write stores it: its document and the keys of its index entities.</summary>
    public static TableEntity MainEntity(string id, string document, IReadOnlyList<IndexKey> indexKeys, TableEntity? existing = null)
    {
        var entity = new TableEntity(id, Keys.MainRowKey(id))
        {
            [TableReads.DocumentProperty] = document,
            [IndexKeysProperty] = IndexKeysJson(indexKeys),
        };
        if (existing?.GetInt64(ChangeLog.ChangedTicksProperty) is { } ticks)
        {
            entity[ChangeLog.ChangedTicksProperty] = ticks;
        }

        return entity;
    }

    /// <summary>A key list as stored: in key order, so that the same keys are the same text however they were written.</summary>
    public static string IndexKeysJson(IEnumerable<IndexKey> keys) =>
        ApiJson.Serialize(keys.OrderBy(k => k.PartitionKey, StringComparer.Ordinal).ThenBy(k => k.RowKey, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<IndexKey> ReadIndexKeys(TableEntity main) =>
        main.GetString(IndexKeysProperty) is { } keys ? ApiJson.Deserialize<List<IndexKey>>(keys) : [];
}

/// <summary>A main entity to write (its id, its document) with the index entities it should have.</summary>
public sealed record DocumentWrite(string Id, string Document, IReadOnlyList<TableEntity> IndexEntities);

/// <summary>A main entity written (step 1), with what its index still needs: entities to write, stale keys to remove, a key list to trim.</summary>
internal sealed record MainWrite(
    WriteOutcome Outcome, string Id, string Document, IReadOnlyList<TableEntity> IndexEntities, IReadOnlyList<IndexKey> StaleKeys, IReadOnlyList<IndexKey> DesiredKeys, ETag ETag)
{
    public ETag ETag { get; set; } = ETag;

    public bool Trim { get; init; }

    public long? ChangedTicks { get; init; }
}

/// <summary>What a write of a main entity did, and the document stored before it.</summary>
public sealed record IndexedWrite(WriteOutcome Outcome, string? PreviousDocument);

/// <summary>The key of one index entity, as recorded on its main entity.</summary>
public sealed record IndexKey(string PartitionKey, string RowKey);

/// <summary>
/// Entity group transactions: at most 100 entities, all of one partition (checked here, as Azurite does
/// not), and at most 4 MiB of payload: a chunk closes early when its entities could weigh more, counting
/// each string at its worst (6 bytes a character, as JSON escapes it) and 1 KiB for each entity's framing.
/// </summary>
public static class Batches
{
    public const int MaxActions = 100;

    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    private const int EntityOverheadBytes = 1024;

    public static Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        SubmitGroupsAsync(table, actions.Select(a => new[] { a }), cancellationToken);

    /// <summary>As <see cref="SubmitAsync"/>, keeping each group of actions (a row and its history row) in one transaction.</summary>
    public static async Task SubmitGroupsAsync(TableClient table, IEnumerable<IReadOnlyList<TableTransactionAction>> groups, CancellationToken cancellationToken)
    {
        foreach (var chunk in Chunk(groups))
        {
            if (chunk.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() != 1)
            {
                throw new InvalidOperationException("A transaction must stay within one partition.");
            }

            if (chunk.Count == 1)
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

    /// <summary>The actions in order, in chunks that one transaction can take.</summary>
    public static IEnumerable<List<TableTransactionAction>> Chunk(IEnumerable<TableTransactionAction> actions) =>
        Chunk(actions.Select(a => new[] { a }));

    /// <summary>The groups' actions in order, in chunks that one transaction can take, never splitting a group.</summary>
    public static IEnumerable<List<TableTransactionAction>> Chunk(IEnumerable<IReadOnlyList<TableTransactionAction>> groups)
    {
        var chunk = new List<TableTransactionAction>();
        long bytes = 0;
        foreach (var group in groups)
        {
            var size = group.Sum(a => WorstCaseBytes(a.Entity));
            if (chunk.Count + group.Count > MaxActions || (chunk.Count > 0 && bytes + size > MaxPayloadBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.AddRange(group);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static long WorstCaseBytes(ITableEntity entity) =>
        EntityOverheadBytes + (6L * (entity.PartitionKey.Length + entity.RowKey.Length))
        + (entity is TableEntity properties ? properties.Sum(p => 6L * p.Key.Length + (p.Value is string text ? 6L * text.Length : 64)) : 0);
}

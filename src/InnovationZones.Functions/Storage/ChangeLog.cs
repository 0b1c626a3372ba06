using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Contracts;

namespace InnovationZones.Storage;

/// <summary>What one request or one import says of every change it makes: one change set.</summary>
public sealed record ChangeOrigin(string ChangeSet, string? TraceId, ChangeAuthor By, string? Reason)
{
    /// <summary>A new change set; its trace id is the current activity's unless <paramref name="traceId"/> says otherwise.</summary>
    public static ChangeOrigin New(ChangeAuthor by, string? reason = null, string? traceId = null) =>
        new(Guid.NewGuid().ToString("N"), Activity.Current?.TraceId.ToHexString() ?? traceId, by, reason);
}

/// <summary>A change written with its entity (its history row), not yet known to be in the feed.</summary>
public sealed record PendingChange(TableClient Table, TableEntity HistoryRow);

/// <summary>
/// Per-entity history, kept in the entity's own partition so that the entity and its history row are one
/// transaction: a history row exists exactly when its write happened. Row key
/// <c>~h|{the entity's row key}|{ticks to the end of time, D19}</c>: newest first, after every live row
/// (live row keys are slugs or escaped text, all below <c>~</c>; a main entity's is its id). Each row holds the change
/// (<c>Doc</c>), the stored document before and after (<c>Before</c>, <c>After</c>) and its ticks
/// (<c>Ticks</c>); rows written before the feed kept its own mark also say whether the feed has them
/// (<c>Published</c>). The live row carries the ticks of its last change (<c>ChangedTicks</c>), so an
/// entity's changes are ordered even when clocks are not.
/// </summary>
public static class ChangeLog
{
    public const string HistoryMarker = "~h";

    /// <summary>Every live row key sorts below this; every history row key at or above it.</summary>
    public const string LiveRowsEnd = "~";

    public const string ChangedTicksProperty = "ChangedTicks";
    public const string BeforeProperty = "Before";
    public const string AfterProperty = "After";

    /// <summary>Whether the feed has the change: on history rows written before the feed kept its own mark (<see cref="ChangeFeed.CompletedPartition"/>).</summary>
    public const string PublishedProperty = "Published";

    public const string TicksProperty = "Ticks";

    /// <summary>The clause that keeps a query to live rows.</summary>
    public static string LiveRowsFilter => TableClient.CreateQueryFilter($"RowKey lt {LiveRowsEnd}");

    /// <summary>The prefix of every history row of the entity whose row key is <paramref name="liveRowKey"/>.</summary>
    public static string HistoryPrefix(string liveRowKey) => Keys.Join(HistoryMarker, liveRowKey, "");

    public static string HistoryRowKey(string liveRowKey, long ticks) =>
        HistoryPrefix(liveRowKey) + (DateTime.MaxValue.Ticks - ticks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// The history row of a change of <paramref name="existing"/> into <paramref name="after"/> (null: a
    /// delete), stamping <paramref name="after"/> with the change's ticks: later than the entity's last change.
    /// </summary>
    /// <summary>A history or feed row as served; <paramref name="position"/> is the feed's, null in a history.</summary>
    public static EntityChange Read(TableEntity row, string? position)
    {
        var entry = ApiJson.Deserialize<ChangeEntry>(row.GetString(TableReads.DocumentProperty)!);
        return new EntityChange(entry.Id, entry.ChangeSet, entry.Entity, entry.Change, entry.At, entry.TraceId, entry.By, entry.Reason,
            Parse(row.GetString(BeforeProperty)), Parse(row.GetString(AfterProperty)), position);
    }

    private static JsonObject? Parse(string? document) => document is null ? null : JsonNode.Parse(document)!.AsObject();

    public static PendingChange Record(
        TableClient table, EntityAddress address, ChangeKind kind, ChangeOrigin origin, string partitionKey, string rowKey, TableEntity? existing, TableEntity? after, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var previous = existing?.GetInt64(ChangedTicksProperty) ?? 0;
        var ticks = Math.Max(now.UtcTicks, previous + 1);
        after?[ChangedTicksProperty] = ticks;
        var entry = new ChangeEntry(Guid.NewGuid().ToString("N"), origin.ChangeSet, address, kind, new DateTimeOffset(ticks, TimeSpan.Zero), origin.TraceId, origin.By, origin.Reason);
        var row = new TableEntity(partitionKey, HistoryRowKey(rowKey, ticks))
        {
            [TableReads.DocumentProperty] = ApiJson.Serialize(entry),
            [TicksProperty] = ticks,
        };
        if (existing?.GetString(TableReads.DocumentProperty) is { } before)
        {
            row[BeforeProperty] = before;
        }

        if (after?.GetString(TableReads.DocumentProperty) is { } document)
        {
            row[AfterProperty] = document;
        }

        return new PendingChange(table, row);
    }
}

/// <summary>
/// The changes of one request or one import (one change set): each written in one transaction with its
/// entity (<see cref="ChangeLog"/>), then published to the feed (<see cref="ChangeFeed"/>) once the
/// writes are done. With history off (<see cref="StorageOptions.RecordHistory"/>) it writes as before and records nothing.
/// </summary>
public sealed class ChangeJournal(Tables tables, ChangeOrigin origin, ChangeKind updateKind = ChangeKind.Replaced)
{
    private readonly ConcurrentQueue<PendingChange> pending = new();

    public ChangeOrigin Origin => origin;

    public bool Records => tables.RecordHistory;

    /// <summary>The changes written so far, in no particular order.</summary>
    public IReadOnlyCollection<PendingChange> Pending => pending;

    /// <summary>Creates <paramref name="entity"/> when <paramref name="existing"/> is null, else replaces that version, with its history row; returns the new ETag.</summary>
    public async Task<ETag> PutAsync(TableClient table, EntityAddress address, TableEntity? existing, TableEntity entity, CancellationToken cancellationToken)
    {
        if (!Records)
        {
            return await ConditionalWrites.PutAsync(table, existing, entity, cancellationToken);
        }

        var change = ChangeLog.Record(table, address, existing is null ? ChangeKind.Created : updateKind, origin, entity.PartitionKey, entity.RowKey, existing, entity);
        TableTransactionAction write = existing is null
            ? new(TableTransactionActionType.Add, entity)
            : new(TableTransactionActionType.UpdateReplace, entity, existing.ETag);
        var etag = await ConditionalWrites.TransactAsync(table, [write, new(TableTransactionActionType.Add, change.HistoryRow)], cancellationToken);
        pending.Enqueue(change);
        return etag;
    }

    /// <summary>As <see cref="PutAsync"/>, but leaves a row whose stored document is already <paramref name="entity"/>'s alone.</summary>
    public Task<ETag> PutDocumentAsync(TableClient table, EntityAddress address, TableEntity? existing, TableEntity entity, CancellationToken cancellationToken) =>
        existing is not null && existing.GetString(TableReads.DocumentProperty) == entity.GetString(TableReads.DocumentProperty)
            ? Task.FromResult(existing.ETag)
            : PutAsync(table, address, existing, entity, cancellationToken);

    /// <summary>Deletes <paramref name="existing"/> on <paramref name="ifMatch"/>, with its history row.</summary>
    public async Task DeleteAsync(TableClient table, EntityAddress address, TableEntity existing, ETag ifMatch, CancellationToken cancellationToken)
    {
        if (!Records)
        {
            await ConditionalWrites.DeleteAsync(table, existing.PartitionKey, existing.RowKey, ifMatch, cancellationToken);
            return;
        }

        var change = ChangeLog.Record(table, address, ChangeKind.Deleted, origin, existing.PartitionKey, existing.RowKey, existing, null);
        await ConditionalWrites.TransactAsync(table,
            [new(TableTransactionActionType.Delete, new TableEntity(existing.PartitionKey, existing.RowKey), ifMatch), new(TableTransactionActionType.Add, change.HistoryRow)],
            cancellationToken);
        pending.Enqueue(change);
    }

    /// <summary>
    /// The actions that upsert <paramref name="row"/> over <paramref name="existing"/> (an import's write of
    /// rows in shared partitions), its history row with it: submit them together (<see cref="Batches.SubmitGroupsAsync"/>).
    /// </summary>
    public TableTransactionAction[] Upsert(TableClient table, EntityAddress address, TableEntity? existing, TableEntity row)
    {
        var upsert = new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
        if (!Records)
        {
            return [upsert];
        }

        var change = ChangeLog.Record(table, address, existing is null ? ChangeKind.Created : updateKind, origin, row.PartitionKey, row.RowKey, existing, row);
        pending.Enqueue(change);
        return [upsert, new(TableTransactionActionType.Add, change.HistoryRow)];
    }

    public EntityJournal For(string type) => new(this, type);

    /// <summary>Puts what this journal wrote into the change feed.</summary>
    public Task PublishAsync(CancellationToken cancellationToken) =>
        ChangeFeed.PublishAsync(tables, [.. pending], cancellationToken);
}

/// <summary>A journal for one type of entity, addressed by the id the write knows (<see cref="ChangeJournal"/>).</summary>
public sealed class EntityJournal(ChangeJournal journal, string type)
{
    public ChangeJournal Journal => journal;

    public EntityAddress Address(string id) => new(type, id);

    public Task<ETag> PutAsync(TableClient table, string id, TableEntity? existing, TableEntity entity, CancellationToken cancellationToken) =>
        journal.PutAsync(table, Address(id), existing, entity, cancellationToken);

    public Task<ETag> PutDocumentAsync(TableClient table, string id, TableEntity? existing, TableEntity entity, CancellationToken cancellationToken) =>
        journal.PutDocumentAsync(table, Address(id), existing, entity, cancellationToken);

    public Task DeleteAsync(TableClient table, string id, TableEntity existing, ETag ifMatch, CancellationToken cancellationToken) =>
        journal.DeleteAsync(table, Address(id), existing, ifMatch, cancellationToken);

    public TableTransactionAction[] Upsert(TableClient table, string id, TableEntity? existing, TableEntity row) =>
        journal.Upsert(table, Address(id), existing, row);
}

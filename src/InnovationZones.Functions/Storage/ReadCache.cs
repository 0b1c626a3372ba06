using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace InnovationZones.Storage;

/// <summary>
/// Point reads and query pages that a GET makes, kept in this instance's memory for a few seconds
/// (<see cref="StorageOptions.ReadCacheSeconds"/>) in <see cref="HybridCache"/>: the row's string
/// properties, its ETag and Timestamp, or that there is no row. A hit costs no storage request; the ETag
/// and Last-Modified of the answer, and so a 304, come from the cached row.
/// <para>
/// Staleness is bounded by the setting: an entry is never served once it is older. Writes on this
/// instance forget what they can have changed at once (<see cref="ForgetDataAsync"/>,
/// <see cref="ForgetAggregatesAsync"/>), so a read after one's own write is never stale here; another
/// instance's write shows within the bound. Memory is bounded by <see cref="StorageOptions.ReadCacheMegabytes"/>:
/// each entry counts its serialized size, and the least used go first.
/// </para>
/// </summary>
public sealed class ReadCache(HybridCache cache, IOptions<StorageOptions> options)
{
    /// <summary>The tag of every entry read from the data tables (entities, relations, observations).</summary>
    public const string DataTag = "data";

    /// <summary>The tag of every entry read from the precomputed aggregates.</summary>
    public const string AggregatesTag = "aggregates";

    private readonly TimeSpan staleness = TimeSpan.FromSeconds(options.Value.ReadCacheSeconds);

    /// <summary>Whether reads are cached at all (a staleness bound of 0 turns the cache off).</summary>
    public bool Enabled => staleness > TimeSpan.Zero;

    /// <summary>How old a cached read may be when it is served.</summary>
    public TimeSpan Staleness => staleness;

    /// <summary>
    /// The row at (<paramref name="partitionKey"/>, <paramref name="rowKey"/>), from memory when a read of it
    /// is younger than the bound; <paramref name="fresh"/> reads storage and keeps what it read.
    /// </summary>
    public async Task<TableEntity?> FindAsync(TableClient table, string partitionKey, string rowKey, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Enabled)
        {
            return await table.FindAsync(partitionKey, rowKey, cancellationToken);
        }

        var row = await cache.GetOrCreateAsync(
            Key(table.Name, partitionKey, rowKey),
            (table, partitionKey, rowKey),
            static async (state, ct) => CachedRow.From(await state.table.FindAsync(state.partitionKey, state.rowKey, ct)),
            EntryOptions(fresh),
            [TagOf(table)],
            cancellationToken);
        return row.ToEntity(partitionKey, rowKey);
    }

    /// <summary>
    /// One page of <paramref name="filter"/> over <paramref name="table"/> (<see cref="TableReads.QueryPageAsync"/>):
    /// what a list GET reads, kept and bounded as a point read is. A page holds the rows' keys and string
    /// properties, and the continuation token to the next page.
    /// </summary>
    public async Task<TablePage> QueryPageAsync(TableClient table, string filter, int pageSize, string? continuationToken, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Enabled)
        {
            return await table.QueryPageAsync(filter, pageSize, continuationToken, cancellationToken);
        }

        var page = await cache.GetOrCreateAsync(
            PageKey(table.Name, filter, pageSize, continuationToken),
            (table, filter, pageSize, continuationToken),
            static async (state, ct) => CachedPage.From(await state.table.QueryPageAsync(state.filter, state.pageSize, state.continuationToken, ct)),
            EntryOptions(fresh),
            [TagOf(table)],
            cancellationToken);
        return page.ToPage();
    }

    /// <summary>A main entity (<see cref="TableReads.FindMainAsync"/>) through the cache.</summary>
    public Task<TableEntity?> FindMainAsync(TableClient table, string id, bool fresh, CancellationToken cancellationToken) =>
        FindAsync(table, id, Keys.MainRowKey(id), fresh, cancellationToken);

    /// <summary>Whether the row at (<paramref name="partitionKey"/>, <paramref name="rowKey"/>) exists, read as <see cref="FindAsync"/> reads it.</summary>
    public async Task<bool> ExistsAsync(TableClient table, string partitionKey, string rowKey, bool fresh, CancellationToken cancellationToken) =>
        await FindAsync(table, partitionKey, rowKey, fresh, cancellationToken) is not null;

    /// <summary>Whether the main entity <paramref name="id"/> exists, read as <see cref="FindMainAsync"/> reads it.</summary>
    public Task<bool> MainExistsAsync(TableClient table, string id, bool fresh, CancellationToken cancellationToken) =>
        ExistsAsync(table, id, Keys.MainRowKey(id), fresh, cancellationToken);

    /// <summary>Forgets every cached read of the data tables: after a write or an import on this instance.</summary>
    public ValueTask ForgetDataAsync() => Enabled ? cache.RemoveByTagAsync(DataTag, CancellationToken.None) : ValueTask.CompletedTask;

    /// <summary>Forgets every cached read of the aggregates: after a recompute or an import on this instance.</summary>
    public ValueTask ForgetAggregatesAsync() => Enabled ? cache.RemoveByTagAsync(AggregatesTag, CancellationToken.None) : ValueTask.CompletedTask;

    private HybridCacheEntryOptions EntryOptions(bool fresh) => new()
    {
        Expiration = staleness,
        LocalCacheExpiration = staleness,
        Flags = fresh ? HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead : HybridCacheEntryFlags.None,
    };

    private static string TagOf(TableClient table) => table.Name.EndsWith(nameof(Tables.Aggregates), StringComparison.Ordinal) ? AggregatesTag : DataTag;

    /// <summary>Table, partition and row key, separated by '/', which no table name or key holds.</summary>
    private static string Key(string table, string partitionKey, string rowKey) => $"row/{table}/{partitionKey}/{rowKey}";

    /// <summary>Table, then a hash of the query, page size and continuation (a filter can be longer than a cache key may be).</summary>
    private static string PageKey(string table, string filter, int pageSize, string? continuationToken) =>
        $"page/{table}/{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{filter}\n{pageSize}\n{continuationToken}")))}";
}

/// <summary>What the cache keeps of a page of a query: each row's keys and <see cref="CachedRow"/>, and the continuation token.</summary>
public sealed class CachedPage(IReadOnlyList<(string PartitionKey, string RowKey, CachedRow Row)> rows, string? continuationToken)
{
    public IReadOnlyList<(string PartitionKey, string RowKey, CachedRow Row)> Rows { get; } = rows;

    public string? ContinuationToken { get; } = continuationToken;

    public static CachedPage From(TablePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new CachedPage([.. page.Entities.Select(e => (e.PartitionKey, e.RowKey, CachedRow.From(e)))], page.ContinuationToken);
    }

    public TablePage ToPage() => new([.. Rows.Select(r => r.Row.ToEntity(r.PartitionKey, r.RowKey)!)], ContinuationToken);
}

/// <summary>What the cache keeps of a row: its string properties, ETag and Timestamp; or that there was none.</summary>
public sealed class CachedRow
{
    private static readonly CachedRow Missing = new(false, "", null, []);

    public CachedRow(bool found, string etag, DateTimeOffset? timestamp, IReadOnlyList<KeyValuePair<string, string>> strings)
    {
        Found = found;
        ETag = etag;
        Timestamp = timestamp;
        Strings = strings;
    }

    public bool Found { get; }

    public string ETag { get; }

    public DateTimeOffset? Timestamp { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Strings { get; }

    public static CachedRow From(TableEntity? entity) =>
        entity is null
            ? Missing
            : new CachedRow(true, entity.ETag.ToString(), entity.Timestamp,
                [.. entity.Where(p => p.Value is string && p.Key is not ("odata.etag" or IndexedDocuments.IndexKeysProperty))
                    .Select(p => KeyValuePair.Create(p.Key, (string)p.Value))]);

    public TableEntity? ToEntity(string partitionKey, string rowKey)
    {
        if (!Found)
        {
            return null;
        }

        var entity = new TableEntity(partitionKey, rowKey) { ETag = new ETag(ETag), Timestamp = Timestamp };
        foreach (var (name, value) in Strings)
        {
            entity[name] = value;
        }

        return entity;
    }
}

/// <summary>
/// A cached row in a few bytes: whether found, the ETag, the Timestamp's ticks, then name and value of
/// each string. Its length is what the entry counts against the cache's size limit.
/// </summary>
public sealed class CachedRowSerializer : IHybridCacheSerializer<CachedRow>
{
    public CachedRow Deserialize(ReadOnlySequence<byte> source)
    {
        using var reader = CachedBytes.Reader(source);
        return CachedBytes.ReadRow(reader);
    }

    public void Serialize(CachedRow value, IBufferWriter<byte> target) => CachedBytes.Write(target, writer => CachedBytes.WriteRow(writer, value));
}

/// <summary>A cached page: the continuation token (or none), the number of rows, then each row's keys and <see cref="CachedRowSerializer"/>'s bytes.</summary>
public sealed class CachedPageSerializer : IHybridCacheSerializer<CachedPage>
{
    public CachedPage Deserialize(ReadOnlySequence<byte> source)
    {
        using var reader = CachedBytes.Reader(source);
        var token = reader.ReadBoolean() ? reader.ReadString() : null;
        var rows = new (string, string, CachedRow)[reader.ReadInt32()];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (reader.ReadString(), reader.ReadString(), CachedBytes.ReadRow(reader));
        }

        return new CachedPage(rows, token);
    }

    public void Serialize(CachedPage value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        CachedBytes.Write(target, writer =>
        {
            writer.Write(value.ContinuationToken is not null);
            if (value.ContinuationToken is not null)
            {
                writer.Write(value.ContinuationToken);
            }

            writer.Write(value.Rows.Count);
            foreach (var (partitionKey, rowKey, row) in value.Rows)
            {
                writer.Write(partitionKey);
                writer.Write(rowKey);
                CachedBytes.WriteRow(writer, row);
            }
        });
    }
}

/// <summary>The binary form both serializers share.</summary>
internal static class CachedBytes
{
    public static BinaryReader Reader(ReadOnlySequence<byte> source) => new(new MemoryStream(source.ToArray(), writable: false));

    public static void Write(IBufferWriter<byte> target, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        target.Write(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }

    public static CachedRow ReadRow(BinaryReader reader)
    {
        if (!reader.ReadBoolean())
        {
            return CachedRow.From(null);
        }

        var etag = reader.ReadString();
        var ticks = reader.ReadInt64();
        var strings = new KeyValuePair<string, string>[reader.ReadInt32()];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = KeyValuePair.Create(reader.ReadString(), reader.ReadString());
        }

        return new CachedRow(true, etag, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), strings);
    }

    public static void WriteRow(BinaryWriter writer, CachedRow value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.Write(value.Found);
        if (value.Found)
        {
            writer.Write(value.ETag);
            writer.Write(value.Timestamp?.UtcTicks ?? 0);
            writer.Write(value.Strings.Count);
            foreach (var (name, text) in value.Strings)
            {
                writer.Write(name);
                writer.Write(text);
            }
        }
    }
}

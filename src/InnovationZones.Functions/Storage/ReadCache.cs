using System.Buffers;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace InnovationZones.Storage;

/// <summary>
/// Point reads that a GET makes, kept in this instance's memory for a few seconds
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

        var entryOptions = new HybridCacheEntryOptions
        {
            Expiration = staleness,
            LocalCacheExpiration = staleness,
            Flags = fresh ? HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead : HybridCacheEntryFlags.None,
        };
        var tag = table.Name.EndsWith(nameof(Tables.Aggregates), StringComparison.Ordinal) ? AggregatesTag : DataTag;
        var row = await cache.GetOrCreateAsync(
            Key(table.Name, partitionKey, rowKey),
            (table, partitionKey, rowKey),
            static async (state, ct) => CachedRow.From(await state.table.FindAsync(state.partitionKey, state.rowKey, ct)),
            entryOptions,
            [tag],
            cancellationToken);
        return row.ToEntity(partitionKey, rowKey);
    }

    /// <summary>A main entity (<see cref="TableReads.FindMainAsync"/>) through the cache.</summary>
    public Task<TableEntity?> FindMainAsync(TableClient table, string id, bool fresh, CancellationToken cancellationToken) =>
        FindAsync(table, id, Keys.MainRowKey(id), fresh, cancellationToken);

    /// <summary>Forgets every cached read of the data tables: after a write or an import on this instance.</summary>
    public ValueTask ForgetDataAsync() => Enabled ? cache.RemoveByTagAsync(DataTag, CancellationToken.None) : ValueTask.CompletedTask;

    /// <summary>Forgets every cached read of the aggregates: after a recompute or an import on this instance.</summary>
    public ValueTask ForgetAggregatesAsync() => Enabled ? cache.RemoveByTagAsync(AggregatesTag, CancellationToken.None) : ValueTask.CompletedTask;

    /// <summary>Table, partition and row key, separated by '/', which no table name or key holds.</summary>
    private static string Key(string table, string partitionKey, string rowKey) => $"row/{table}/{partitionKey}/{rowKey}";
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
        using var stream = new MemoryStream(source.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBoolean())
        {
            return CachedRow.From(null);
        }

        var etag = reader.ReadString();
        var ticks = reader.ReadInt64();
        var count = reader.ReadInt32();
        var strings = new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            strings[i] = KeyValuePair.Create(reader.ReadString(), reader.ReadString());
        }

        return new CachedRow(true, etag, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), strings);
    }

    public void Serialize(CachedRow value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(target);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
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

        target.Write(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }
}

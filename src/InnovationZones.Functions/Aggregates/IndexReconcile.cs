using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Domain;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Repairs index entities that drifted from their main entities (ZoneIndex from Zones, OrganizationIndex
/// from Organizations, their located-in relations and those zones' cities, and each relation's row at its target's end from the
/// row at its organization's end), in three streamed passes per index:
/// 1. the main table: the 64-bit hash of every expected index entity's key, with a hash of its content;
/// 2. the index table: an entity whose key is not expected is an orphan (deleted, if unchanged since it was
///    read), unless its main entity, read again, now expects it (a write that raced pass 1); one whose
///    content differs is stale; one that matches is done;
/// 3. the main table again, only if passes 1 and 2 found something to repair: every expected entity not yet
///    matched is written (missing or stale), and a main entity whose <c>IndexKeys</c> differ from its index
///    is rewritten.
/// Pass 1 hands each main entity, with the index entities it should have, to an observer: a full
/// aggregates run computes every scope from that one pass (<see cref="FullRunScopes"/>).
/// Memory: two 64-bit hashes per index entity, never a table's entities.
/// </summary>
public sealed class IndexReconcile(Tables tables, TableScan scan)
{
    private static readonly HashSet<string> SystemProperties = ["PartitionKey", "RowKey", "Timestamp", "odata.etag"];

    /// <summary>The main entities of a main table: its live rows, one per partition (history rows sort after them).</summary>
    private readonly string mainFilter = ChangeLog.LiveRowsFilter;

    /// <summary>A main entity, what it holds, and the index entities it should have.</summary>
    public sealed record Expected<T>(TableEntity Main, T Value, IReadOnlyList<TableEntity> IndexEntities);

    /// <summary>An organization with the tally of its relation rows.</summary>
    public sealed record OrganizationEntry(Organization Organization, RelationTally Relations);

    /// <summary>Reconciles ZoneIndex; <paramref name="observe"/> sees each zone with the index entities it should have, once, in id order.</summary>
    public Task<IndexRepairs> ZonesAsync(Action<Zone, IReadOnlyList<TableEntity>>? observe, CancellationToken cancellationToken) =>
        ReconcileAsync(tables.Zones, tables.ZoneIndex, ExpectedZonesAsync, ZoneExpectsAsync,
            observe is null ? null : item =>
            {
                observe(item.Value, item.IndexEntities);
                return Task.CompletedTask;
            },
            cancellationToken);

    /// <summary>
    /// Reconciles the relations' incoming rows (the index) with their outgoing rows (the main entity, whose
    /// ETag is the relation's): a relation is what its outgoing row says, so an incoming row without one is
    /// an orphan, and an outgoing row without its incoming row is repaired.
    /// </summary>
    public Task<IndexRepairs> RelationsAsync(CancellationToken cancellationToken) =>
        ReconcileAsync(tables.Relations, tables.Relations, ExpectedRelationsAsync, RelationExpectsAsync, null, cancellationToken,
            RowPrefixFilter(RelationRecords.Incoming + Keys.Separator), recordIndexKeys: false);

    private static string RowPrefixFilter(string prefix) =>
        TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {Keys.PrefixUpperBound(prefix)}");

    private async IAsyncEnumerable<Expected<Relation>> ExpectedRelationsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var outgoing in scan.QueryAsync(tables.Relations, RowPrefixFilter(RelationRecords.Outgoing + Keys.Separator), cancellationToken))
        {
            var relation = outgoing.ReadDocument<Relation>();
            yield return new Expected<Relation>(outgoing, relation, [RelationRecords.Entities(relation).Incoming]);
        }
    }

    /// <summary>
    /// Reconciles OrganizationIndex; <paramref name="observe"/> sees each organization with its relation rows
    /// and the index entities it should have, once, in id order.
    /// </summary>
    /// <remarks>
    /// An organization's <c>city|</c> entries depend on its zones' cities: pass 1 takes them from
    /// <paramref name="zoneCities"/> (what a full run's pass over Zones saw) or reads them; pass 3 reads them again.
    /// </remarks>
    public Task<IndexRepairs> OrganizationsAsync(
        Func<OrganizationEntry, IReadOnlyList<TableEntity>, Task>? observe, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? zoneCities = null)
    {
        var passes = 0;
        return ReconcileAsync(tables.Organizations, tables.OrganizationIndex,
            ct => ExpectedOrganizationsAsync(passes++ == 0 ? zoneCities : null, ct), OrganizationExpectsAsync,
            observe is null ? null : item => observe(item.Value, item.IndexEntities), cancellationToken);
    }

    /// <summary>Each zone's city, from one pass over Zones.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ZoneCitiesAsync(CancellationToken cancellationToken)
    {
        var cities = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var main in scan.QueryAsync(tables.Zones, mainFilter, cancellationToken, ["PartitionKey", TableReads.DocumentProperty]))
        {
            cities[main.PartitionKey] = main.ReadDocument<Zone>().CityId;
        }

        return cities;
    }

    /// <summary>Whether the zone that an index entity names (its row key) exists now and has that entity.</summary>
    private async Task<bool> ZoneExpectsAsync(TableEntity indexEntity, CancellationToken cancellationToken) =>
        await tables.Zones.FindMainAsync(indexEntity.RowKey, cancellationToken) is { } main
        && Has(ZoneIndex.Entities(main.ReadDocument<Zone>(), main.GetString(TableReads.DocumentProperty)!), indexEntity);

    /// <summary>Whether the organization that an index entity names (the last part of its row key) exists now and has that entity.</summary>
    private async Task<bool> OrganizationExpectsAsync(TableEntity indexEntity, CancellationToken cancellationToken)
    {
        var id = indexEntity.RowKey[(indexEntity.RowKey.LastIndexOf(Keys.Separator) + 1)..];
        if (await tables.Organizations.FindMainAsync(id, cancellationToken) is not { } main)
        {
            return false;
        }

        var zones = await OrganizationPlaces.LocatedZonesAsync(tables, id, null, cancellationToken);
        return Has(OrganizationIndex.Entities(main.ReadDocument<Organization>(), main.GetString(TableReads.DocumentProperty)!, zones), indexEntity);
    }

    /// <summary>Whether an incoming row (<c>{kind}|{id}</c>, <c>in|{type}|organization|{from}</c>) has its outgoing row now.</summary>
    private async Task<bool> RelationExpectsAsync(TableEntity incoming, CancellationToken cancellationToken)
    {
        var to = incoming.PartitionKey.Split(Keys.Separator);
        var row = incoming.RowKey.Split(Keys.Separator);
        return to.Length == 2 && row.Length == 4
            && await tables.Relations.FindAsync(Keys.Join(row[2], row[3]), Keys.Join(RelationRecords.Outgoing, row[1], to[0], to[1]), cancellationToken) is not null;
    }

    private static bool Has(IEnumerable<TableEntity> entities, TableEntity entity) =>
        entities.Any(e => e.PartitionKey == entity.PartitionKey && e.RowKey == entity.RowKey);

    private async IAsyncEnumerable<Expected<Zone>> ExpectedZonesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var main in scan.QueryAsync(tables.Zones, mainFilter, cancellationToken))
        {
            var document = main.GetString(TableReads.DocumentProperty)!;
            var zone = main.ReadDocument<Zone>();
            yield return new Expected<Zone>(main, zone, ZoneIndex.Entities(zone, document));
        }
    }

    /// <summary>
    /// Organizations joined with their relations: both streams are in organization id order (Organizations by
    /// PartitionKey = id, Relations by <c>organization|{id}</c>), so a merge reads each once.
    /// </summary>
    private async IAsyncEnumerable<Expected<OrganizationEntry>> ExpectedOrganizationsAsync(
        IReadOnlyDictionary<string, string>? zoneCities, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        zoneCities ??= await ZoneCitiesAsync(cancellationToken);
        var partitionPrefix = Keys.Join("organization", "");
        var relationFilter = TableClient.CreateQueryFilter($"PartitionKey ge {partitionPrefix} and PartitionKey lt {Keys.PrefixUpperBound(partitionPrefix)} and RowKey lt {ChangeLog.LiveRowsEnd}");
        await using var relations = scan.QueryAsync(tables.Relations, relationFilter, cancellationToken, ["PartitionKey", "RowKey"]).GetAsyncEnumerator(cancellationToken);
        var hasRelation = await relations.MoveNextAsync();
        var zonePrefix = ScopeStatsCalculator.LocatedInZonePrefix;

        await foreach (var main in scan.QueryAsync(tables.Organizations, mainFilter, cancellationToken))
        {
            var partition = partitionPrefix + main.PartitionKey;
            var tally = new RelationTally();
            var zones = new SortedSet<string>(StringComparer.Ordinal);
            while (hasRelation && string.CompareOrdinal(relations.Current.PartitionKey, partition) <= 0)
            {
                if (relations.Current.PartitionKey == partition)
                {
                    var row = relations.Current.RowKey;
                    tally.Add(row);
                    if (row.StartsWith(zonePrefix, StringComparison.Ordinal))
                    {
                        zones.Add(row[zonePrefix.Length..]);
                    }
                }

                hasRelation = await relations.MoveNextAsync();
            }

            var document = main.GetString(TableReads.DocumentProperty)!;
            var organization = main.ReadDocument<Organization>();
            var located = zones.Select(z => new LocatedZone(z, zoneCities.GetValueOrDefault(z))).ToList();
            yield return new Expected<OrganizationEntry>(main, new OrganizationEntry(organization, tally), OrganizationIndex.Entities(organization, document, located));
        }
    }

    private async Task<IndexRepairs> ReconcileAsync<T>(
        TableClient main,
        TableClient index,
        Func<CancellationToken, IAsyncEnumerable<Expected<T>>> expectedEntities,
        Func<TableEntity, CancellationToken, Task<bool>> expectedNow,
        Func<Expected<T>, Task>? observe,
        CancellationToken cancellationToken,
        string? indexFilter = null,
        bool recordIndexKeys = true)
    {
        var expected = new Dictionary<ulong, ulong>();
        var keysToRecord = false;
        await foreach (var item in expectedEntities(cancellationToken))
        {
            foreach (var entity in item.IndexEntities)
            {
                expected[KeyHash(entity)] = ContentHash(entity);
            }

            keysToRecord |= recordIndexKeys && !KeysRecorded(item);
            if (observe is not null)
            {
                await observe(item);
            }
        }

        var stale = new HashSet<ulong>();
        var orphaned = 0;
        await foreach (var entity in scan.QueryAsync(index, indexFilter, cancellationToken))
        {
            var key = KeyHash(entity);
            if (!expected.TryGetValue(key, out var content))
            {
                if (!await expectedNow(entity, cancellationToken)
                    && await AggregateRecords.DeleteAsync(index, entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken))
                {
                    orphaned++;
                }
            }
            else if (content == ContentHash(entity))
            {
                expected.Remove(key);
            }
            else
            {
                stale.Add(key);
            }
        }

        // The main table is read again only when there is something to repair: an index entity missing or
        // stale, or a main entity whose IndexKeys differ from what its index should hold.
        int missing = 0, staleRepaired = 0;
        if (expected.Count == 0 && !keysToRecord)
        {
            return new IndexRepairs(missing, staleRepaired, orphaned);
        }

        await foreach (var item in expectedEntities(cancellationToken))
        {
            foreach (var entity in item.IndexEntities.Where(e => expected.ContainsKey(KeyHash(e))))
            {
                await index.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
                if (stale.Contains(KeyHash(entity)))
                {
                    staleRepaired++;
                }
                else
                {
                    missing++;
                }
            }

            if (recordIndexKeys)
            {
                await RecordIndexKeysAsync(main, item, cancellationToken);
            }
        }

        return new IndexRepairs(missing, staleRepaired, orphaned);
    }

    /// <summary>Brings the main entity's IndexKeys to what its index now holds, unless it changed since it was read.</summary>
    private static async Task RecordIndexKeysAsync<T>(TableClient main, Expected<T> item, CancellationToken cancellationToken)
    {
        if (KeysRecorded(item))
        {
            return;
        }

        item.Main[IndexedDocuments.IndexKeysProperty] = IndexedDocuments.IndexKeysJson(DesiredKeys(item));
        try
        {
            await main.UpdateEntityAsync(item.Main, item.Main.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Written or deleted since it was read: that write records its own keys.
        }
    }

    private static List<IndexKey> DesiredKeys<T>(Expected<T> item) =>
        [.. item.IndexEntities.Select(e => new IndexKey(e.PartitionKey, e.RowKey))];

    /// <summary>Whether the main entity's IndexKeys already name exactly the index entities it should have.</summary>
    private static bool KeysRecorded<T>(Expected<T> item) =>
        IndexedDocuments.ReadIndexKeys(item.Main).ToHashSet().SetEquals(DesiredKeys(item));

    private static ulong KeyHash(TableEntity entity) => Hash(entity.PartitionKey + "\n" + entity.RowKey);

    private static ulong ContentHash(TableEntity entity)
    {
        var builder = new StringBuilder();
        foreach (var key in entity.Keys.Where(k => !SystemProperties.Contains(k)).Order(StringComparer.Ordinal))
        {
            builder.Append(key).Append('=').Append(Convert.ToString(entity[key], CultureInfo.InvariantCulture)).Append('\n');
        }

        return Hash(builder.ToString());
    }

    private static ulong Hash(string text) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Writes a dataset's table entities straight into empty tables: the entities <see cref="DatasetImporter"/>
/// stores for it (built by the app's own builders: <see cref="IndexedDocuments.MainEntity"/>,
/// <see cref="ZoneIndex"/>, <see cref="OrganizationIndex"/>, <see cref="RelationRecords"/>,
/// <see cref="MetricRecords"/>, the vocabulary rows), grouped by table and partition and upserted in
/// transactions of at most 100 (<see cref="Batches"/>), a few partitions at once. No validation, no reads,
/// no change detection and no dirty marks: the baseline of the import benchmark, and a fast way to fill
/// tables for the others. An item that a later chunk repeats unchanged (the synthetic chunks repeat the
/// vocabularies, cities and zones) is written once; a changed repeat is refused, as the loader never updates.
/// </summary>
internal sealed class RawLoader(Tables tables, int parallelism = 8)
{
    /// <summary>The tables an import writes, besides the dirty marks of its writes.</summary>
    public static readonly IReadOnlyList<string> DataTables = ["Vocabulary", "Cities", "Zones", "ZoneIndex", "Organizations", "OrganizationIndex", "Relations", "Metrics"];

    /// <summary>The key of every item written, with the hash of its document.</summary>
    private readonly Dictionary<string, int> written = new(StringComparer.Ordinal);

    /// <summary>The city of every zone seen so far.</summary>
    private readonly Dictionary<string, string> zoneCities = new(StringComparer.Ordinal);

    /// <summary>Entities written so far.</summary>
    public long EntitiesWritten { get; private set; }

    public async Task<long> LoadAsync(IEnumerable<Dataset> chunks, CancellationToken cancellationToken = default)
    {
        await tables.CreateIfNotExistsAsync(cancellationToken);
        var before = EntitiesWritten;
        foreach (var chunk in chunks)
        {
            await LoadChunkAsync(chunk, cancellationToken);
        }

        return EntitiesWritten - before;
    }

    /// <summary>Writes one dataset into tables that exist (<see cref="LoadAsync"/> creates them), after the datasets written before it.</summary>
    public async Task LoadChunkAsync(Dataset chunk, CancellationToken cancellationToken = default)
    {
        // An organization's city entries need its zones' cities, from the zones of this chunk or of an earlier one.
        foreach (var zone in chunk.Zones ?? [])
        {
            zoneCities[zone.Id] = zone.CityId;
        }

        await WriteAsync(Entities(Unwritten(chunk), zoneCities), cancellationToken);
    }

    /// <summary>
    /// The entities an import of <paramref name="dataset"/> into empty tables stores, by table name. Each
    /// organization is indexed under the zones of its located-in relations, which must be in the same dataset,
    /// and under their cities (from <paramref name="zoneCities"/>, else the dataset's zones).
    /// </summary>
    public static IEnumerable<(string Table, TableEntity Entity)> Entities(Dataset dataset, IReadOnlyDictionary<string, string>? zoneCities = null)
    {
        foreach (var document in dataset.Documents ?? [])
        {
            yield return ("Vocabulary", IndexedDocuments.IndexEntity("document", document.Id, ApiJson.Serialize(document)));
        }

        foreach (var industry in dataset.Industries ?? [])
        {
            yield return ("Vocabulary", IndexedDocuments.IndexEntity("industry", industry.Id, ApiJson.Serialize(industry)));
        }

        foreach (var city in dataset.Cities ?? [])
        {
            yield return ("Cities", IndexedDocuments.MainEntity(city.Id, ApiJson.Serialize(city), []));
        }

        foreach (var zone in dataset.Zones ?? [])
        {
            var document = ApiJson.Serialize(zone);
            foreach (var entity in Indexed("Zones", "ZoneIndex", zone.Id, document, ZoneIndex.Entities(zone, document)))
            {
                yield return entity;
            }
        }

        var relations = dataset.Relations ?? [];
        var zonesOf = relations
            .Where(r => r.Type == RelationType.LocatedIn && r.To.Kind == EntityKind.Zone)
            .ToLookup(r => r.From.Id, r => r.To.Id, StringComparer.Ordinal);
        var organizationIds = (dataset.Organizations ?? []).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        if (zonesOf.FirstOrDefault(g => !organizationIds.Contains(g.Key)) is { } stray)
        {
            throw new InvalidOperationException($"Organization '{stray.Key}' has located-in relations in a dataset without it: the raw loader indexes an organization from its own dataset only.");
        }

        zoneCities ??= (dataset.Zones ?? []).ToDictionary(z => z.Id, z => z.CityId, StringComparer.Ordinal);
        foreach (var organization in dataset.Organizations ?? [])
        {
            var document = ApiJson.Serialize(organization);
            var zones = zonesOf[organization.Id].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(z => new LocatedZone(z, zoneCities.GetValueOrDefault(z))).ToList();
            foreach (var entity in Indexed("Organizations", "OrganizationIndex", organization.Id, document, OrganizationIndex.Entities(organization, document, zones)))
            {
                yield return entity;
            }
        }

        foreach (var relation in relations)
        {
            var (outgoing, incoming) = RelationRecords.Entities(relation);
            yield return ("Relations", outgoing);
            yield return ("Relations", incoming);
        }

        foreach (var metric in dataset.Metrics ?? [])
        {
            yield return ("Metrics", MetricRecords.Entity(metric));
        }
    }

    private static IEnumerable<(string Table, TableEntity Entity)> Indexed(string mainTable, string indexTable, string id, string document, IReadOnlyList<TableEntity> indexEntities)
    {
        List<IndexKey> keys = [.. indexEntities.Select(e => new IndexKey(e.PartitionKey, e.RowKey)).Distinct()];
        yield return (mainTable, IndexedDocuments.MainEntity(id, document, keys));
        foreach (var entity in indexEntities)
        {
            yield return (indexTable, entity);
        }
    }

    /// <summary>The dataset without the items an earlier chunk already wrote (unchanged); a changed repeat throws.</summary>
    private Dataset Unwritten(Dataset dataset) => new(
        Documents: Fresh(dataset.Documents, d => "document|" + d.Id),
        Industries: Fresh(dataset.Industries, i => "industry|" + i.Id),
        Cities: Fresh(dataset.Cities, c => "city|" + c.Id),
        Zones: Fresh(dataset.Zones, z => "zone|" + z.Id),
        Organizations: Fresh(dataset.Organizations, o => "organization|" + o.Id),
        Relations: Fresh(dataset.Relations, r => "relation|" + RelationRecords.Partition(r.From) + "/" + RelationRecords.OutgoingRow(r)),
        Metrics: Fresh(dataset.Metrics, m => "metric|" + MetricRecords.Partition(m.Scope) + "/" + MetricRecords.Row(m.Indicator, m.Period.Value)));

    private List<T>? Fresh<T>(IReadOnlyList<T>? items, Func<T, string> key)
    {
        if (items is null)
        {
            return null;
        }

        var fresh = new List<T>();
        foreach (var item in items)
        {
            var itemKey = key(item);
            var hash = ApiJson.Serialize(item).GetHashCode(StringComparison.Ordinal);
            if (written.TryAdd(itemKey, hash))
            {
                fresh.Add(item);
            }
            else if (written[itemKey] != hash)
            {
                throw new InvalidOperationException($"{itemKey} is repeated with other content: the raw loader writes new entities only.");
            }
        }

        return fresh;
    }

    private async Task WriteAsync(IEnumerable<(string Table, TableEntity Entity)> entities, CancellationToken cancellationToken)
    {
        var partitions = entities
            .GroupBy(e => (e.Table, e.Entity.PartitionKey))
            .Select(g => (Table: tables.Get(g.Key.Table), Entities: g.Select(e => e.Entity).ToList()))
            .ToList();
        var count = 0L;
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            await Batches.SubmitAsync(partition.Table, partition.Entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
            Interlocked.Add(ref count, partition.Entities.Count);
        });
        EntitiesWritten += count;
    }
}

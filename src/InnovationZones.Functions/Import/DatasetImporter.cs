using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Import;

/// <summary>
/// Loads a dataset into the tables: validates everything first (nothing is written when anything is
/// wrong), then upserts entities whose stored document differs, with their index entities. Loading the
/// same dataset twice changes nothing and reports everything unchanged. An import adds and updates; it
/// never deletes what the dataset leaves out. Each city, zone, organization, relation and observation it
/// creates or updates is reported to <see cref="IAggregateChanges"/> with its stored state before.
/// </summary>
public sealed partial class DatasetImporter(Tables tables, IAggregateChanges changes, ILogger<DatasetImporter> logger)
{
    private const int Parallelism = 8;

    /// <summary>What a comparison of stored rows needs: the document (keys come with every row).</summary>
    private static readonly string[] DocumentColumns = [TableReads.DocumentProperty, ChangeLog.ChangedTicksProperty];

    public static Dataset Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Reads a dataset: strict JSON, then its shape checked against the dataset's types (unknown fields,
    /// missing required ones, wrong types, unknown enum values), every error with its JSON path.
    /// </summary>
    public static Dataset Parse(ReadOnlySpan<byte> utf8Json)
    {
        var node = JsonShape.TryParse(utf8Json, out var syntaxError);
        if (syntaxError is not null)
        {
            throw new DatasetInvalidException([new ImportError("$", syntaxError)]);
        }

        var errors = JsonShape.Check(node, typeof(Dataset), patch: false);
        if (errors.Count > 0)
        {
            throw new DatasetInvalidException([.. errors.Select(e => new ImportError(e.Path, e.Message))]);
        }

        return node.Deserialize<Dataset>(ApiJson.Options)!;
    }

    public async Task<ImportReport> ImportFileAsync(string path, CancellationToken cancellationToken = default) =>
        await ImportAsync(Parse(await File.ReadAllTextAsync(path, cancellationToken)), cancellationToken);

    /// <summary>Entities an import created, updated or left unchanged: tags <c>kind</c> (cities, zones, ...) and <c>outcome</c>.</summary>
    public const string EntitiesMetric = "innovationzones.import.entities";

    /// <summary>How long an import took, in seconds: tag <c>outcome</c> (succeeded, invalid, failed).</summary>
    public const string DurationMetric = "innovationzones.import.duration";

    private static readonly Counter<long> Entities = Telemetry.Meter.CreateCounter<long>(EntitiesMetric, "{entity}", "Entities an import created, updated or left unchanged");

    private static readonly Histogram<double> Duration = Telemetry.Meter.CreateHistogram<double>(DurationMetric, "s", "How long an import took");

    /// <summary>Imports <paramref name="dataset"/> in an <c>import</c> span, recording its counts and duration on the app's meter.</summary>
    /// <remarks>Every entity it changes gets a history entry and a place in the change feed, all under one change set (<paramref name="origin"/>; by default the app's own).</remarks>
    public Task<ImportReport> ImportAsync(Dataset dataset, CancellationToken cancellationToken = default) =>
        ImportAsync(dataset, null, cancellationToken);

    /// <inheritdoc cref="ImportAsync(Dataset, CancellationToken)"/>
    public async Task<ImportReport> ImportAsync(Dataset dataset, ChangeOrigin? origin, CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Source.StartActivity("import");
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var report = await ValidateAndWriteAsync(dataset, new ChangeJournal(tables, origin ?? ChangeOrigin.New(ChangeAuthor.App)), cancellationToken);
            outcome = "succeeded";
            foreach (var (kind, counts) in report.Counts)
            {
                Record(kind, "created", counts.Created);
                Record(kind, "updated", counts.Updated);
                Record(kind, "unchanged", counts.Unchanged);
            }

            activity?.SetTag("innovationzones.import.created", report.Created);
            activity?.SetTag("innovationzones.import.updated", report.Updated);
            activity?.SetTag("innovationzones.import.unchanged", report.Unchanged);
            return report;
        }
        catch (DatasetInvalidException e)
        {
            outcome = "invalid";
            activity?.SetTag("innovationzones.import.errors", e.Errors.Count);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        catch (Exception e)
        {
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("innovationzones.import.outcome", outcome);
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static void Record(string kind, string outcome, int count)
    {
        if (count > 0)
        {
            Entities.Add(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private async Task<ImportReport> ValidateAndWriteAsync(Dataset dataset, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var errors = await ValidateAsync(dataset, cancellationToken);
        if (errors.Count > 0)
        {
            throw new DatasetInvalidException(errors);
        }

        await tables.CreateIfNotExistsAsync(cancellationToken);

        // What changed is marked for the aggregates after each kind is written, all of its scopes together.
        var marks = changes.Defer();
        var counts = new Dictionary<string, ImportCounts>(StringComparer.Ordinal)
        {
            ["documents"] = await WriteRowsAsync(tables.Vocabulary, (dataset.Documents ?? []).Select(d => Row("document", d.Id, d)), null, null, journal.For("document"), r => r.RowKey, cancellationToken),
            ["industries"] = await WriteRowsAsync(tables.Vocabulary, (dataset.Industries ?? []).Select(i => Row("industry", i.Id, i)), null, null, journal.For("industry"), r => r.RowKey, cancellationToken),
            // Cities have no index entities of their own (zones are indexed by city in ZoneIndex).
            ["cities"] = await WriteMainAsync(dataset.Cities, c => c.Id, (c, doc) => [], tables.Cities, tables.ZoneIndex, marks.CityChangedAsync, journal.For("city"), cancellationToken),
        };

        // A zone that moves to another city moves the organizations located in it (reindexed below).
        var movedZones = new ConcurrentBag<string>();
        counts["zones"] = await WriteMainAsync(dataset.Zones, z => z.Id, ZoneIndex.Entities, tables.Zones, tables.ZoneIndex, (before, after, ct) =>
        {
            if (before is not null && after is not null && before.CityId != after.CityId)
            {
                movedZones.Add(after.Id);
            }

            return marks.ZoneChangedAsync(before, after, ct);
        }, journal.For("zone"), cancellationToken);
        await marks.FlushAsync(cancellationToken);

        // The relations stored at every end this import writes, and of every organization it writes (their
        // located-in zones index them), read once, together.
        var organizations = dataset.Organizations ?? [];
        var relations = dataset.Relations ?? [];
        var storedRelations = await StoredPartitions.ReadAsync(
            tables.Relations,
            [.. relations.SelectMany(r => new[] { RelationRecords.Partition(r.From), RelationRecords.Partition(r.To) }), .. organizations.Select(o => OrganizationPartition(o.Id))],
            DocumentColumns,
            cancellationToken);

        // Organizations before their relations (a relation never points at a missing organization), each
        // indexed under the zones of its located-in relations, stored and new alike (an import never deletes
        // a relation), so each is written once. Organizations that only gain a relation are reindexed after.
        var newZones = relations
            .Where(r => r.Type == RelationType.LocatedIn && r.To.Kind == EntityKind.Zone)
            .ToLookup(r => r.From.Id, r => r.To.Id, StringComparer.Ordinal);
        IEnumerable<string> ZonesOf(Organization o) =>
            LocatedInZones(storedRelations[OrganizationPartition(o.Id)]).Union(newZones[o.Id], StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var zoneCities = await ZoneCitiesAsync(dataset.Zones ?? [], organizations.SelectMany(ZonesOf), cancellationToken);
        counts["organizations"] = await WriteMainAsync(organizations, o => o.Id,
            (o, doc) => OrganizationIndex.Entities(o, doc, [.. ZonesOf(o).Select(z => new LocatedZone(z, zoneCities.GetValueOrDefault(z)))]),
            tables.Organizations, tables.OrganizationIndex, marks.OrganizationChangedAsync, journal.For("organization"), cancellationToken);
        await marks.FlushAsync(cancellationToken);
        var relationChanges = new ConcurrentQueue<(Relation? Before, Relation After)>();
        counts["relations"] = await WriteRelationsAsync(relations, storedRelations, relationChanges, journal.For("relation"), cancellationToken);
        await ReindexOrganizationsAsync(newZones.Select(g => g.Key).Except(organizations.Select(o => o.Id), StringComparer.Ordinal), false, cancellationToken);

        // Organizations in a zone that moved: same document and keys, but they belong to another city now.
        var moved = new List<string>();
        foreach (var zoneId in movedZones.Distinct(StringComparer.Ordinal))
        {
            moved.AddRange(await OrganizationPlaces.LocatedOrganizationsAsync(tables.Relations, zoneId, cancellationToken));
        }

        await ReindexOrganizationsAsync(moved, true, cancellationToken);

        // Relations are reported once both ends and the organizations' index say what they say.
        await NotifyAsync(relationChanges, (change, ct) => marks.RelationChangedAsync(change.Before, change.After, ct), cancellationToken);
        await marks.FlushAsync(cancellationToken);

        counts["metrics"] = await WriteRowsAsync(tables.Metrics, (dataset.Metrics ?? []).Select(MetricRecords.Entity), null,
            (before, row, ct) => marks.MetricChangedAsync(Document<MetricObservation>(before), row.ReadDocument<MetricObservation>(), ct),
            journal.For("metric"), row => MetricRecords.HistoryId(row.ReadDocument<MetricObservation>()), cancellationToken);
        await marks.FlushAsync(cancellationToken);

        // Each change is stored with its entity; the feed gets them all now (or, after a crash, from the next full run).
        await journal.PublishAsync(cancellationToken);

        var report = new ImportReport(counts);
        LogImported(report.Created, report.Updated, report.Unchanged);
        return report;
    }

    /// <summary>Every error in <paramref name="dataset"/>, including references to ids that neither it nor storage holds.</summary>
    public async Task<IReadOnlyList<ImportError>> ValidateAsync(Dataset dataset, CancellationToken cancellationToken = default)
    {
        var validator = DatasetValidator.Validate(dataset);
        var errors = validator.Errors.ToList();
        errors.AddRange(await MissingReferencesAsync(validator.ExternalReferences, cancellationToken));
        return errors;
    }

    private async Task<IReadOnlyList<ImportError>> MissingReferencesAsync(
        IEnumerable<(string Kind, string Id, string Path)> references, CancellationToken cancellationToken)
    {
        var missing = new ConcurrentBag<ImportError>();
        await Parallel.ForEachAsync(references, InParallel(cancellationToken), async (reference, ct) =>
        {
            var (table, partition, row) = reference.Kind switch
            {
                "document" => (tables.Vocabulary, "document", reference.Id),
                "industry" => (tables.Vocabulary, "industry", reference.Id),
                "city" => (tables.Cities, reference.Id, Keys.MainRowKey(reference.Id)),
                "zone" => (tables.Zones, reference.Id, Keys.MainRowKey(reference.Id)),
                _ => (tables.Organizations, reference.Id, Keys.MainRowKey(reference.Id)),
            };
            if (await table.FindAsync(partition, row, ct) is null)
            {
                missing.Add(new ImportError(reference.Path, $"There is no {reference.Kind} '{reference.Id}' in the dataset or in storage."));
            }
        });
        return [.. missing.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private static TableEntity Row<T>(string partition, string id, T value) =>
        IndexedDocuments.IndexEntity(partition, id, ApiJson.Serialize(value));

    private static T? Document<T>(string? document) where T : class => document is null ? null : ApiJson.Deserialize<T>(document);

    /// <summary>
    /// Writes rows that live in shared partitions, in transactions of one partition, skipping rows already
    /// stored as they are; <paramref name="changed"/> hears of each row written, with the document stored before.
    /// The stored rows are those of <paramref name="stored"/>, or read here (all partitions together) when null.
    /// </summary>
    private static async Task<ImportCounts> WriteRowsAsync(
        TableClient table,
        IEnumerable<TableEntity> rows,
        IReadOnlyDictionary<string, Dictionary<string, TableEntity>>? stored,
        Func<string?, TableEntity, CancellationToken, Task>? changed,
        EntityJournal? journal,
        Func<TableEntity, string> historyId,
        CancellationToken cancellationToken)
    {
        var all = rows.ToList();
        stored ??= await StoredPartitions.ReadAsync(table, all.Select(r => r.PartitionKey), DocumentColumns, cancellationToken);
        int created = 0, updated = 0, unchanged = 0;
        var written = new List<(string? Before, TableEntity Row, TableEntity? Existing)>();
        foreach (var row in all)
        {
            if (!stored[row.PartitionKey].TryGetValue(row.RowKey, out var entity))
            {
                created++;
            }
            else if (entity.GetString(TableReads.DocumentProperty) == row.GetString(TableReads.DocumentProperty))
            {
                unchanged++;
                continue;
            }
            else
            {
                updated++;
            }

            written.Add((entity?.GetString(TableReads.DocumentProperty), row, entity));
        }

        await Parallel.ForEachAsync(written.GroupBy(w => w.Row.PartitionKey, StringComparer.Ordinal), InParallel(cancellationToken), (partition, ct) =>
            new ValueTask(Batches.SubmitGroupsAsync(table, partition.Select(w => journal is null
                ? [new TableTransactionAction(TableTransactionActionType.UpsertReplace, w.Row)]
                : journal.Upsert(table, historyId(w.Row), w.Existing, w.Row)), ct)));
        if (changed is not null)
        {
            await NotifyAsync(written, (w, ct) => changed(w.Before, w.Row, ct), cancellationToken);
        }

        return new ImportCounts(created, updated, unchanged);
    }

    private static ParallelOptions InParallel(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    /// <summary>Tells the aggregates of what was written, several at a time (each notice is a write of its own).</summary>
    private static Task NotifyAsync<T>(IEnumerable<T> written, Func<T, CancellationToken, Task> notify, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(written, InParallel(cancellationToken), async (item, ct) => await notify(item, ct));

    private static async Task<ImportCounts> WriteMainAsync<T>(
        IReadOnlyList<T>? items,
        Func<T, string> id,
        Func<T, string, IReadOnlyList<TableEntity>> indexEntities,
        TableClient main,
        TableClient index,
        Func<T?, T?, CancellationToken, Task> changed,
        EntityJournal journal,
        CancellationToken cancellationToken)
        where T : class
    {
        var list = items ?? [];
        var writes = await IndexedDocuments.WriteAllAsync(main, index, [.. list.Select(item =>
        {
            var document = ApiJson.Serialize(item);
            return new DocumentWrite(id(item), document, indexEntities(item, document));
        })], journal, cancellationToken);
        await NotifyAsync(list.Zip(writes).Where(w => w.Second.Outcome != WriteOutcome.Unchanged),
            (w, ct) => changed(Document<T>(w.Second.PreviousDocument), w.First, ct), cancellationToken);
        return Count(writes.Select(w => w.Outcome));
    }

    private async Task<ImportCounts> WriteRelationsAsync(
        IReadOnlyList<Relation> relations,
        IReadOnlyDictionary<string, Dictionary<string, TableEntity>> stored,
        ConcurrentQueue<(Relation? Before, Relation After)> written,
        EntityJournal journal,
        CancellationToken cancellationToken)
    {
        // Each relation is stored at both ends; its count is taken from the end it starts from. The two
        // ends' rows have different row keys, so one read of the partitions serves both.
        var ends = relations.Select(RelationRecords.Entities).ToList();
        var counts = await WriteRowsAsync(tables.Relations, ends.Select(e => e.Outgoing), stored,
            (before, row, ct) =>
            {
                written.Enqueue((Document<Relation>(before), row.ReadDocument<Relation>()));
                return Task.CompletedTask;
            },
            journal, row => RelationRecords.HistoryId(row.ReadDocument<Relation>()), cancellationToken);

        // The far end's row is the relation's index, not a change of its own.
        await WriteRowsAsync(tables.Relations, ends.Select(e => e.Incoming), stored, null, null, _ => "", cancellationToken);
        return counts;
    }

    private static string OrganizationPartition(string id) => RelationRecords.Partition(new EntityRef(EntityKind.Organization, id));

    /// <summary>The zones of the located-in rows among an organization's stored relation rows.</summary>
    private static IEnumerable<string> LocatedInZones(Dictionary<string, TableEntity> organizationRows)
    {
        var prefix = RelationRecords.RowPrefix(RelationDirection.Outgoing, RelationType.LocatedIn) + EnumNames.Name(EntityKind.Zone) + Keys.Separator;
        return organizationRows.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]);
    }

    /// <summary>
    /// Rewrites stored organizations' index entities from their stored relations and their zones' cities;
    /// <paramref name="rewrite"/> even when document and keys are as stored (a zone they are in moved).
    /// </summary>
    private async Task ReindexOrganizationsAsync(IEnumerable<string> organizationIds, bool rewrite, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(organizationIds.Distinct(StringComparer.Ordinal), InParallel(cancellationToken), async (id, ct) =>
            await ConditionalWrites.RetryAsync(async _ =>
            {
                if (await tables.Organizations.FindMainAsync(id, ct) is { } stored)
                {
                    var document = stored.GetString(TableReads.DocumentProperty)!;
                    var organization = ApiJson.Deserialize<Organization>(document);
                    var zones = await OrganizationPlaces.LocatedZonesAsync(tables, id, null, ct);
                    await IndexedDocuments.WriteAsync(tables.Organizations, tables.OrganizationIndex, stored, id, document,
                        OrganizationIndex.Entities(organization, document, zones), null, ct, rewrite);
                }

                return true;
            }));
    }

    /// <summary>The city of each zone: the dataset's own, else the stored zone's (point reads, several at a time).</summary>
    private async Task<IReadOnlyDictionary<string, string>> ZoneCitiesAsync(IEnumerable<Zone> datasetZones, IEnumerable<string> zoneIds, CancellationToken cancellationToken)
    {
        var cities = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (var zone in datasetZones)
        {
            cities[zone.Id] = zone.CityId;
        }

        await Parallel.ForEachAsync(zoneIds.Distinct(StringComparer.Ordinal).Where(z => !cities.ContainsKey(z)).ToList(), InParallel(cancellationToken), async (id, ct) =>
        {
            if (await tables.Zones.FindMainAsync(id, ct) is { } stored)
            {
                cities[id] = stored.ReadDocument<Zone>().CityId;
            }
        });
        return cities;
    }

    private static ImportCounts Count(IEnumerable<WriteOutcome> outcomes)
    {
        var list = outcomes.ToList();
        return new ImportCounts(
            list.Count(o => o == WriteOutcome.Created),
            list.Count(o => o == WriteOutcome.Updated),
            list.Count(o => o == WriteOutcome.Unchanged));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported dataset: {Created} created, {Updated} updated, {Unchanged} unchanged")]
    private partial void LogImported(int created, int updated, int unchanged);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.Metrics;
using InnovationZones.Organizations;
using InnovationZones.Storage;
using InnovationZones.Zones;
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

    public static Dataset Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Reads a dataset: strict JSON, then its shape checked against the dataset's types (unknown fields,
    /// missing required ones, wrong types, unknown enum values), every error with its JSON path.
    /// </summary>
    public static Dataset Parse(ReadOnlySpan<byte> utf8Json)
    {
        var node = RequestBody.TryParseJson(utf8Json, out var syntaxError);
        if (syntaxError is not null)
        {
            throw new DatasetInvalidException([new ImportError("$", syntaxError)]);
        }

        var errors = JsonShape.Check(node, typeof(Dataset), patch: false);
        if (errors.Count > 0)
        {
            throw new DatasetInvalidException([.. errors.Select(e => new ImportError(e.Path, e.Message))]);
        }

        return node.Deserialize<Dataset>(Json.Options)!;
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
    public async Task<ImportReport> ImportAsync(Dataset dataset, CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Source.StartActivity("import");
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var report = await ValidateAndWriteAsync(dataset, cancellationToken);
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

    private async Task<ImportReport> ValidateAndWriteAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        var errors = await ValidateAsync(dataset, cancellationToken);
        if (errors.Count > 0)
        {
            throw new DatasetInvalidException(errors);
        }

        await tables.CreateIfNotExistsAsync(cancellationToken);
        var counts = new Dictionary<string, ImportCounts>(StringComparer.Ordinal)
        {
            ["documents"] = await WriteRowsAsync(tables.Vocabulary, (dataset.Documents ?? []).Select(d => Row("document", d.Id, d)), null, cancellationToken),
            ["industries"] = await WriteRowsAsync(tables.Vocabulary, (dataset.Industries ?? []).Select(i => Row("industry", i.Id, i)), null, cancellationToken),
            // Cities have no index entities of their own (zones are indexed by city in ZoneIndex).
            ["cities"] = await WriteMainAsync(dataset.Cities, c => c.Id, (c, doc) => Task.FromResult<IReadOnlyList<TableEntity>>([]), tables.Cities, tables.ZoneIndex, changes.CityChangedAsync, cancellationToken),
            ["zones"] = await WriteMainAsync(dataset.Zones, z => z.Id, (z, doc) => Task.FromResult(ZoneIndex.Entities(z, doc)), tables.Zones, tables.ZoneIndex, changes.ZoneChangedAsync, cancellationToken),
        };

        // Organizations before their relations (a relation never points at a missing organization), each
        // indexed under the zones of its located-in relations, stored and new alike (an import never deletes
        // a relation), so each is written once. Organizations that only gain a relation are reindexed after.
        var organizations = dataset.Organizations ?? [];
        var newZones = (dataset.Relations ?? [])
            .Where(r => r.Type == RelationType.LocatedIn && r.To.Kind == EntityKind.Zone)
            .ToLookup(r => r.From.Id, r => r.To.Id, StringComparer.Ordinal);
        counts["organizations"] = await WriteMainAsync(organizations, o => o.Id, (o, doc) => OrganizationIndexEntitiesAsync(o, doc, newZones[o.Id], cancellationToken), tables.Organizations, tables.OrganizationIndex, changes.OrganizationChangedAsync, cancellationToken);
        var relationChanges = new ConcurrentQueue<(Relation? Before, Relation After)>();
        counts["relations"] = await WriteRelationsAsync(dataset.Relations ?? [], relationChanges, cancellationToken);
        await ReindexOrganizationsAsync(newZones.Select(g => g.Key).Except(organizations.Select(o => o.Id), StringComparer.Ordinal), cancellationToken);

        // Relations are reported once both ends and the organizations' index say what they say.
        foreach (var (before, after) in relationChanges)
        {
            await changes.RelationChangedAsync(before, after, cancellationToken);
        }

        counts["metrics"] = await WriteRowsAsync(tables.Metrics, (dataset.Metrics ?? []).Select(MetricRecords.Entity),
            (before, row, ct) => changes.MetricChangedAsync(Document<MetricObservation>(before), row.ReadDocument<MetricObservation>(), ct), cancellationToken);

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
        await Parallel.ForEachAsync(references, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (reference, ct) =>
        {
            var (table, partition, row) = reference.Kind switch
            {
                "document" => (tables.Vocabulary, "document", reference.Id),
                "industry" => (tables.Vocabulary, "industry", reference.Id),
                "city" => (tables.Cities, reference.Id, Keys.MainRowKey),
                "zone" => (tables.Zones, reference.Id, Keys.MainRowKey),
                _ => (tables.Organizations, reference.Id, Keys.MainRowKey),
            };
            if (await table.FindAsync(partition, row, ct) is null)
            {
                missing.Add(new ImportError(reference.Path, $"There is no {reference.Kind} '{reference.Id}' in the dataset or in storage."));
            }
        });
        return [.. missing.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private static TableEntity Row<T>(string partition, string id, T value) =>
        IndexedDocuments.IndexEntity(partition, id, Json.Serialize(value));

    private static T? Document<T>(string? document) where T : class => document is null ? null : Json.Deserialize<T>(document);

    /// <summary>
    /// Writes rows that live in shared partitions, in transactions of one partition, skipping rows already
    /// stored as they are; <paramref name="changed"/> hears of each row written, with the document stored before.
    /// </summary>
    private static async Task<ImportCounts> WriteRowsAsync(
        TableClient table, IEnumerable<TableEntity> rows, Func<string?, TableEntity, CancellationToken, Task>? changed, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0, unchanged = 0;
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            var stored = await ReadPartitionDocumentsAsync(table, partition.Key, cancellationToken);
            var written = new List<TableEntity>();
            foreach (var row in partition)
            {
                if (!stored.TryGetValue(row.RowKey, out var document))
                {
                    created++;
                }
                else if (document == row.GetString(TableReads.DocumentProperty))
                {
                    unchanged++;
                    continue;
                }
                else
                {
                    updated++;
                }

                written.Add(row);
            }

            await Batches.SubmitAsync(table, written.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
            foreach (var row in written.Where(_ => changed is not null))
            {
                await changed!(stored.GetValueOrDefault(row.RowKey), row, cancellationToken);
            }
        }

        return new ImportCounts(created, updated, unchanged);
    }

    private static async Task<Dictionary<string, string?>> ReadPartitionDocumentsAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, string?>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, ApiOptions.MaxPageSize, [TableReads.DocumentProperty, "RowKey"], cancellationToken))
        {
            documents[entity.RowKey] = entity.GetString(TableReads.DocumentProperty);
        }

        return documents;
    }

    private static async Task<ImportCounts> WriteMainAsync<T>(
        IReadOnlyList<T>? items,
        Func<T, string> id,
        Func<T, string, Task<IReadOnlyList<TableEntity>>> indexEntities,
        TableClient main,
        TableClient index,
        Func<T?, T?, CancellationToken, Task> changed,
        CancellationToken cancellationToken)
        where T : class
    {
        var outcomes = new ConcurrentBag<WriteOutcome>();
        await Parallel.ForEachAsync(items ?? [], new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var document = Json.Serialize(item);
            var write = await IndexedDocuments.WriteTrackedAsync(main, index, id(item), document, await indexEntities(item, document), ct);
            outcomes.Add(write.Outcome);
            if (write.Outcome != WriteOutcome.Unchanged)
            {
                await changed(Document<T>(write.PreviousDocument), item, ct);
            }
        });
        return Count(outcomes);
    }

    private async Task<ImportCounts> WriteRelationsAsync(
        IReadOnlyList<Relation> relations, ConcurrentQueue<(Relation? Before, Relation After)> written, CancellationToken cancellationToken)
    {
        // Each relation is stored at both ends; its count is taken from the end it starts from.
        var ends = relations.Select(RelationRecords.Entities).ToList();
        var counts = await WriteRowsAsync(tables.Relations, ends.Select(e => e.Outgoing),
            (before, row, ct) =>
            {
                written.Enqueue((Document<Relation>(before), row.ReadDocument<Relation>()));
                return Task.CompletedTask;
            },
            cancellationToken);
        await WriteRowsAsync(tables.Relations, ends.Select(e => e.Incoming), null, cancellationToken);
        return counts;
    }

    private async Task<IReadOnlyList<TableEntity>> OrganizationIndexEntitiesAsync(
        Organization organization, string document, IEnumerable<string> newZoneIds, CancellationToken cancellationToken)
    {
        var zoneIds = new HashSet<string>(newZoneIds, StringComparer.Ordinal);
        zoneIds.UnionWith(await RelationRecords.LocatedInZonesAsync(tables.Relations, organization.Id, cancellationToken));
        return OrganizationIndex.Entities(organization, document, [.. zoneIds.Order(StringComparer.Ordinal)]);
    }

    private async Task ReindexOrganizationsAsync(IEnumerable<string> organizationIds, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(organizationIds.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            if (await tables.Organizations.FindAsync(id, Keys.MainRowKey, ct) is { } stored)
            {
                var document = stored.GetString(TableReads.DocumentProperty)!;
                var organization = Json.Deserialize<Organization>(document);
                await IndexedDocuments.WriteAsync(tables.Organizations, tables.OrganizationIndex, id, document, await OrganizationIndexEntitiesAsync(organization, document, [], ct), ct);
            }
        });
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

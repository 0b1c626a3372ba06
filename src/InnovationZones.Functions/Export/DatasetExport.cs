using System.IO.Pipelines;
using System.Text.Json;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Storage;

namespace InnovationZones.Export;

/// <summary>
/// Writes every stored entity as one JSON document in the shape of <see cref="Dataset"/> (data/*.json, what
/// POST v1/import takes), table page by table page: each page (at most 1,000 entities) is read, written and
/// flushed before the next is read, so memory holds one page whatever the dataset's size.
/// The output is a function of what is stored, not of how it got there: lists in the import's order, each in
/// key order (which is id order, see docs/table-design.md), each entity read into its type and written back
/// compact by the API's own contract. So exporting, importing the result into empty storage and exporting
/// again gives the same bytes.
/// </summary>
public sealed class DatasetExport(Tables tables)
{
    /// <summary>What the export reads: only the document of each row.</summary>
    private static readonly string[] DocumentColumn = [TableReads.DocumentProperty];

    /// <summary>The lists of a dataset, in the order <see cref="Dataset"/> declares them, with the rows that hold each.</summary>
    private IEnumerable<Section> Sections()
    {
        yield return new(nameof(Dataset.Documents), typeof(SourceDocument), tables.Vocabulary, Partition(Tables.DocumentPartition));
        yield return new(nameof(Dataset.Industries), typeof(Industry), tables.Vocabulary, Partition(Tables.IndustryPartition));
        yield return new(nameof(Dataset.Cities), typeof(City), tables.Cities, TableQuery.MainEntities(nameof(Tables.Cities)).Filter);
        yield return new(nameof(Dataset.Zones), typeof(Zone), tables.Zones, TableQuery.MainEntities(nameof(Tables.Zones)).Filter);
        yield return new(nameof(Dataset.Organizations), typeof(Organization), tables.Organizations, TableQuery.MainEntities(nameof(Tables.Organizations)).Filter);

        // Each relation once: its row at the end it starts from (the other end's row holds the same document).
        yield return new(nameof(Dataset.Relations), typeof(Relation), tables.Relations,
            new TableQuery(nameof(Tables.Relations)).WherePrefix("RowKey", RelationRecords.Outgoing + Keys.Separator).Filter);

        // Every live row of Metrics is an observation (partition scope, row indicator|period); history rows are not data.
        yield return new(nameof(Dataset.Metrics), typeof(MetricObservation), tables.Metrics, ChangeLog.LiveRowsFilter);
    }

    /// <summary>
    /// Writes the dataset to <paramref name="body"/>, flushing after each page. Nothing reaches the caller
    /// before the first page of the first list has been read, so a storage failure there can still be
    /// answered with a problem. Says how many entities it wrote. The JSON writer writes into the pipe's
    /// buffers, never to a stream by itself: the serializer flushes the writer synchronously, and a
    /// response stream takes only asynchronous writes.
    /// </summary>
    public async Task<long> WriteAsync(PipeWriter body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder });
        long entities = 0;
        writer.WriteStartObject();
        foreach (var section in Sections())
        {
            writer.WritePropertyName(ApiJson.Options.PropertyNamingPolicy!.ConvertName(section.Name));
            writer.WriteStartArray();
            string? token = null;
            do
            {
                var page = await section.Table.QueryPageAsync(section.Filter, TableReads.MaxPageSize, token, cancellationToken, DocumentColumn);
                foreach (var entity in page.Entities)
                {
                    var document = entity.GetString(TableReads.DocumentProperty)
                        ?? throw new InvalidOperationException($"Entity {entity.PartitionKey}/{entity.RowKey} has no document.");
                    JsonSerializer.Serialize(writer, JsonSerializer.Deserialize(document, section.Type, ApiJson.Options), section.Type, ApiJson.Options);
                }

                entities += page.Entities.Count;
                token = page.ContinuationToken;
                writer.Flush();
                await body.FlushAsync(cancellationToken);
            }
            while (token is not null);

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(cancellationToken);
        return entities;
    }

    /// <summary>A vocabulary partition's live rows (not their history).</summary>
    private static string Partition(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey lt {ChangeLog.LiveRowsEnd}");

    private sealed record Section(string Name, Type Type, TableClient Table, string Filter);
}

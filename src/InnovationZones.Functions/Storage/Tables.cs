using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace InnovationZones.Storage;

/// <summary>
/// The app's tables (docs/table-design.md). Main tables hold one entity per id (PartitionKey = RowKey = id,
/// <see cref="Keys.MainRowKey"/>), so a GET by id is a point read on both keys; index tables hold copies of
/// the main entity under the partitions that the documented filters read.
/// </summary>
public sealed class Tables(TableServiceClient service, IOptions<StorageOptions> options)
{
    public static readonly IReadOnlyList<string> Names =
        ["Cities", "Zones", "ZoneIndex", "Organizations", "OrganizationIndex", "Metrics", "Relations", "Vocabulary", "DirtyScopes", "Aggregates", "AggregateRuns", "Changes"];

    private readonly string prefix = options.Value.TablePrefix;

    /// <summary>Whether writes record their changes (history rows and the change feed).</summary>
    public bool RecordHistory { get; } = options.Value.RecordHistory;

    /// <summary>How old a change must be before the feed shows it (see <see cref="ChangeFeed"/>).</summary>
    public TimeSpan ChangeFeedSettle { get; } = TimeSpan.FromMilliseconds(options.Value.ChangeFeedSettleMilliseconds);

    public TableServiceClient Service { get; } = service;

    public TableClient Cities => Get("Cities");

    public TableClient Zones => Get("Zones");

    public TableClient ZoneIndex => Get("ZoneIndex");

    public TableClient Organizations => Get("Organizations");

    public TableClient OrganizationIndex => Get("OrganizationIndex");

    public TableClient Metrics => Get("Metrics");

    public TableClient Relations => Get("Relations");

    /// <summary>Industries and source documents: the vocabularies that other entities refer to.</summary>
    public TableClient Vocabulary => Get("Vocabulary");

    /// <summary>The aggregate scopes that writes have touched since the last recompute.</summary>
    public TableClient DirtyScopes => Get("DirtyScopes");

    /// <summary>The precomputed aggregates, one row per scope, that the stats endpoints serve.</summary>
    public TableClient Aggregates => Get("Aggregates");

    /// <summary>One row per recompute run, newest first, and a pointer to the latest that succeeded.</summary>
    public TableClient AggregateRuns => Get("AggregateRuns");

    /// <summary>The change feed: every change in the order it was published (<see cref="ChangeFeed"/>).</summary>
    public TableClient Changes => Get("Changes");

    /// <summary>The main tables: one main entity per partition (PartitionKey = RowKey = id), its history rows beside it.</summary>
    public IEnumerable<TableClient> Main => [Cities, Zones, Organizations];

    /// <summary>The tables whose partitions hold their entities' history rows next to them (<see cref="ChangeLog"/>).</summary>
    public IEnumerable<TableClient> WithHistory => [Cities, Zones, Organizations, Relations, Metrics, Vocabulary];

    /// <summary>The partition of <see cref="Vocabulary"/> that holds the industries, one row each (row key = id).</summary>
    public const string IndustryPartition = "industry";

    /// <summary>The partition of <see cref="Vocabulary"/> that holds the source documents, one row each (row key = id).</summary>
    public const string DocumentPartition = "document";

    public IEnumerable<TableClient> All => Names.Select(Get);

    public TableClient Get(string name) => Service.GetTableClient(prefix + name);

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in All)
        {
            try
            {
                await table.DeleteAsync(cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Already gone.
            }
        }
    }
}

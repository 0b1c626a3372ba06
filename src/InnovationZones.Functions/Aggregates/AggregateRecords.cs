using System.Globalization;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Where aggregates and runs are stored (docs/table-design.md). Table Aggregates: PartitionKey = scope
/// kind (<c>city</c>, <c>zone</c>, <c>industry</c>, <c>organization-type</c>, <c>organization</c>),
/// RowKey = scope id, <c>Doc</c> = the stats as served, plus <c>RunId</c>. Table AggregateRuns: partition
/// <c>run</c>, RowKey = inverted start ticks then the run id, so the newest run is the first row; and
/// partition <c>latest</c>, row <c>""</c>: the last run that succeeded.
/// </summary>
public static class AggregateRecords
{
    public const string RunIdProperty = "RunId";
    public const string RunsPartition = "run";
    public const string LatestPartition = "latest";

    /// <summary>The row key of the one row in <see cref="LatestPartition"/>: the pointer to the latest run that succeeded.</summary>
    public const string LatestRowKey = "";

    public static string Partition(ScopeKind kind) => EnumNames.Name(kind);

    public static TableEntity Entity<T>(AggregateScope scope, T stats, string runId) =>
        new(Partition(scope.Kind), scope.Id)
        {
            [TableReads.DocumentProperty] = ApiJson.Serialize(stats),
            [RunIdProperty] = runId,
        };

    /// <summary>A run id that sorts by start time and reads as one: <c>20261128T153512123Z-1a2b3c</c>.</summary>
    public static string NewRunId(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Newest first: the row key starts with the ticks left until the end of time.</summary>
    public static string RunRow(RunRecord run) =>
        (DateTimeOffset.MaxValue.UtcTicks - run.StartedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + Keys.Separator + run.RunId;

    public static TableEntity RunEntity(RunRecord run) =>
        new(RunsPartition, RunRow(run)) { [TableReads.DocumentProperty] = ApiJson.Serialize(run), [RunIdProperty] = run.RunId };

    public static TableEntity LatestEntity(RunRecord run) =>
        new(LatestPartition, LatestRowKey) { [TableReads.DocumentProperty] = ApiJson.Serialize(run), [RunIdProperty] = run.RunId };

    /// <summary>The last run that succeeded, or null before the first.</summary>
    public static async Task<RunRecord?> LatestSucceededAsync(Tables tables, CancellationToken cancellationToken) =>
        (await tables.AggregateRuns.FindAsync(LatestPartition, LatestRowKey, cancellationToken))?.ReadDocument<RunRecord>();

    /// <summary>Deletes one aggregate row; one that is already gone is no error.</summary>
    public static async Task<bool> DeleteAsync(TableClient table, string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}

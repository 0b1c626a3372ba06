using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Aggregates;

/// <summary>
/// Recomputes the aggregates that the stats endpoints serve. A full run first moves main entities still under
/// their former key (<see cref="MainKeyMigration"/>), then reconciles the indexes and, from
/// the same pass over each table, computes every scope (<see cref="FullRunScopes"/>), then removes the
/// aggregates of scopes that are gone; an incremental run computes only the scopes that writes marked
/// dirty (widened to the zones, cities and type an organization touches), each from its own partitions
/// (<see cref="ScopeStatsCalculator"/>). Both feed the same accumulators, so they agree. Every run is
/// recorded in AggregateRuns, traced and measured; a run cancelled half-way leaves its marks for the next.
/// </summary>
public sealed partial class AggregatesRecompute(Tables tables, DirtyScopes dirtyScopes, TimeProvider time, ILogger<AggregatesRecompute> logger)
{
    private const int Parallelism = 4;

    private static readonly Counter<long> Runs = Telemetry.Meter.CreateCounter<long>("aggregates.runs", "{run}", "Aggregates runs, by kind and status");
    private static readonly Counter<long> EntitiesRead = Telemetry.Meter.CreateCounter<long>("aggregates.entities_read", "{entity}", "Table entities read by aggregates runs");
    private static readonly Counter<long> AggregatesWritten = Telemetry.Meter.CreateCounter<long>("aggregates.written", "{aggregate}", "Aggregates written");
    private static readonly Counter<long> IndexRepaired = Telemetry.Meter.CreateCounter<long>("aggregates.index_repaired", "{entity}", "Index entities repaired by reconcile");
    private static readonly Histogram<double> Duration = Telemetry.Meter.CreateHistogram<double>("aggregates.run.duration", "ms", "Duration of aggregates runs");

    /// <summary>Called after each aggregate is written (tests use it to cancel a run half-way).</summary>
    internal Action<AggregateScope>? AfterWrite { get; set; }

    public Task<RunRecord> RunFullAsync(CancellationToken cancellationToken, bool isPastDue = false) =>
        RunAsync(RunKind.Full, isPastDue, cancellationToken);

    /// <summary>Recomputes the dirty scopes; before any run has succeeded there is nothing to update, so it runs a full recompute.</summary>
    public async Task<RunRecord> RunIncrementalAsync(CancellationToken cancellationToken, bool isPastDue = false)
    {
        RunKind kind;
        try
        {
            await tables.AggregateRuns.CreateIfNotExistsAsync(cancellationToken);
            kind = await AggregateRecords.LatestSucceededAsync(tables, cancellationToken) is null ? RunKind.Full : RunKind.Incremental;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && StorageFailure.IsUnavailable(e))
        {
            // Storage is down: the run fails at its first call, and reports it.
            kind = RunKind.Incremental;
        }

        return await RunAsync(kind, isPastDue, cancellationToken);
    }

    private async Task<RunRecord> RunAsync(RunKind kind, bool isPastDue, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var kindName = EnumNames.Name(kind);
        var run = new RecomputeRun(AggregateRecords.NewRunId(started), kind, started, tables);
        using var activity = Telemetry.Source.StartActivity("aggregates.run " + kindName);
        activity?.SetTag("aggregates.run.id", run.Stamp.RunId);
        activity?.SetTag("aggregates.run.kind", kindName);
        activity?.SetTag("aggregates.run.past_due", isPastDue);

        RunStatus status;
        string? error = null;
        try
        {
            foreach (var table in new[] { tables.Aggregates, tables.AggregateRuns, tables.DirtyScopes })
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
            }

            await tables.AggregateRuns.UpsertEntityAsync(AggregateRecords.RunEntity(run.Record(RunStatus.Running, isPastDue, null, null)), TableUpdateMode.Replace, cancellationToken);
            LogStarted(kindName, run.Stamp.RunId, isPastDue);
            if (kind == RunKind.Full)
            {
                await FullAsync(run, cancellationToken);
            }
            else
            {
                await IncrementalAsync(run, cancellationToken);
            }

            status = RunStatus.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
            error = "The run was cancelled; the scopes it did not finish stay marked for the next run.";
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e) || e is Azure.RequestFailedException or ConcurrentWriteException or System.Text.Json.JsonException)
        {
            status = RunStatus.Failed;
            error = e.GetType().Name + ": " + e.Message.Split('\n', 2)[0];
            LogFailed(e, run.Stamp.RunId);
        }

        stopwatch.Stop();
        var record = run.Record(status, isPastDue, error, stopwatch.Elapsed) with { EndedAt = time.GetUtcNow() };

        // The record is written even when the run was cancelled: the caller's token no longer applies to it.
        // When storage is down it cannot be: the run is reported by its log, trace and metric alone.
        try
        {
            await tables.AggregateRuns.UpsertEntityAsync(AggregateRecords.RunEntity(record), TableUpdateMode.Replace, CancellationToken.None);
            if (status == RunStatus.Succeeded)
            {
                await tables.AggregateRuns.UpsertEntityAsync(AggregateRecords.LatestEntity(record), TableUpdateMode.Replace, CancellationToken.None);
            }
        }
        catch (Exception e) when (status != RunStatus.Succeeded && StorageFailure.IsUnavailable(e))
        {
            LogNotRecorded(e, run.Stamp.RunId);
        }

        var statusName = EnumNames.Name(status);
        var tags = new TagList { { "kind", kindName }, { "status", statusName } };
        Runs.Add(1, tags);
        EntitiesRead.Add(record.EntitiesRead, tags);
        AggregatesWritten.Add(record.AggregatesWritten, tags);
        IndexRepaired.Add(record.IndexEntriesRepaired.Total, tags);
        Duration.Record(stopwatch.Elapsed.TotalMilliseconds, tags);
        activity?.SetTag("aggregates.run.status", statusName);
        activity?.SetTag("aggregates.run.entities_read", record.EntitiesRead);
        activity?.SetStatus(status == RunStatus.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, error);
        LogFinished(kindName, run.Stamp.RunId, statusName, record.EntitiesRead, record.AggregatesWritten, record.IndexEntriesRepaired.Total, record.DurationMs ?? 0);
        return record;
    }

    /// <summary>
    /// Reconciles the indexes and computes every scope from the same pass: each table is read once (the
    /// main tables again only when there is drift to repair), and every scope's accumulator is fed from it.
    /// </summary>
    private async Task FullAsync(RecomputeRun run, CancellationToken cancellationToken)
    {
        // Main entities stored under their former key (RowKey = "") move first, so that everything after reads them.
        var migrated = await MainKeyMigration.MigrateAsync(tables, cancellationToken);
        if (migrated > 0)
        {
            LogMigrated(run.Stamp.RunId, migrated);
        }

        var reconcile = new IndexReconcile(tables, run.Scan);
        var scopes = await FullRunScopes.StartAsync(tables, run.Scan, cancellationToken);

        run.Repairs = await reconcile.ZonesAsync(scopes.AddZone, cancellationToken);
        run.Repairs = run.Repairs.Add(await reconcile.RelationsAsync(cancellationToken));

        // Organizations stream in id order, so their stats are written in batches of one partition, each
        // while the run reads on.
        var writer = new AggregateBatchWriter(batch => SubmitAsync(run, batch, cancellationToken), run.ScopeComputed);
        try
        {
            run.Repairs = run.Repairs.Add(await reconcile.OrganizationsAsync(async (entry, indexEntities) =>
            {
                scopes.AddOrganization(indexEntities);
                await writer.AddAsync(AggregateRecords.Entity(new AggregateScope(ScopeKind.Organization, entry.Organization.Id),
                    ScopeStatsCalculator.Organization(entry.Organization, entry.Relations, run.Stamp), run.Stamp.RunId));
            }, cancellationToken, scopes.ZoneCities));

            await scopes.ReadIndicatorsAsync(tables, run.Scan, cancellationToken);
            foreach (var aggregate in scopes.Aggregates(run.Stamp))
            {
                await writer.AddAsync(aggregate);
            }

            await writer.CompleteAsync();
        }
        finally
        {
            await writer.SettleAsync();
        }

        await RemoveStaleAsync(run, cancellationToken);

        // Every write marked before the run started is in what it read; later marks stay for the next run.
        await foreach (var mark in dirtyScopes.ReadAsync(run.Scan, cancellationToken))
        {
            if (mark.MarkedAt < run.Stamp.ComputedAt && await dirtyScopes.ClearAsync(mark, cancellationToken))
            {
                run.MarkCleared();
            }
        }

        // Changes that a crash kept out of the feed (stored with their entities, never published) go in now.
        var published = await ChangeFeed.CompleteAsync(tables, time.GetUtcNow(), cancellationToken);
        if (published > 0)
        {
            LogChangesCompleted(run.Stamp.RunId, published);
        }
    }

    private async Task IncrementalAsync(RecomputeRun run, CancellationToken cancellationToken)
    {
        var marks = await ReadMarksAsync(run, cancellationToken);
        var scopes = new SortedSet<AggregateScope>(marks.Select(m => m.Scope), ScopeOrder.Instance);

        // Widen: an organization counts in the zones it is located in, their cities, the city it is
        // headquartered in, and its type.
        foreach (var organization in scopes.Where(s => s.Kind == ScopeKind.Organization).ToList())
        {
            foreach (var zone in await run.Calculator.LocatedInZonesAsync(organization.Id, cancellationToken))
            {
                scopes.Add(new AggregateScope(ScopeKind.Zone, zone));
            }

            if (await run.Scan.FindAsync(tables.Organizations, organization.Id, Keys.MainRowKey(organization.Id), cancellationToken) is { } stored)
            {
                var current = stored.ReadDocument<Organization>();
                if (current.Type is { } type)
                {
                    scopes.Add(new AggregateScope(ScopeKind.OrganizationType, EnumNames.Name(type)));
                }

                if (current.Headquarters?.CityId is { } city)
                {
                    scopes.Add(new AggregateScope(ScopeKind.City, city));
                }
            }
        }

        foreach (var zone in scopes.Where(s => s.Kind == ScopeKind.Zone).ToList())
        {
            if (await run.Scan.FindAsync(tables.Zones, zone.Id, Keys.MainRowKey(zone.Id), cancellationToken) is { } stored)
            {
                scopes.Add(new AggregateScope(ScopeKind.City, stored.ReadDocument<Zone>().CityId));
            }
        }

        await ForEachScopeAsync(run, scopes.ToAsyncEnumerable(), cancellationToken);
        await ClearMarksAsync(run, marks, cancellationToken);
    }

    private async Task<List<DirtyMark>> ReadMarksAsync(RecomputeRun run, CancellationToken cancellationToken)
    {
        var marks = new List<DirtyMark>();
        await foreach (var mark in dirtyScopes.ReadAsync(run.Scan, cancellationToken))
        {
            marks.Add(mark);
        }

        return marks;
    }

    private async Task ClearMarksAsync(RecomputeRun run, IEnumerable<DirtyMark> marks, CancellationToken cancellationToken)
    {
        foreach (var mark in marks)
        {
            if (await dirtyScopes.ClearAsync(mark, cancellationToken))
            {
                run.MarkCleared();
            }
        }
    }

    private async Task ForEachScopeAsync(RecomputeRun run, IAsyncEnumerable<AggregateScope> scopes, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(scopes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (scope, ct) => await RecomputeAsync(run, scope, ct));

    /// <summary>Computes one scope and writes its aggregate, or deletes the aggregate of a scope that is gone.</summary>
    private async Task RecomputeAsync(RecomputeRun run, AggregateScope scope, CancellationToken cancellationToken)
    {
        var calculator = run.Calculator;
        var stamp = run.Stamp;
        var entity = scope.Kind switch
        {
            ScopeKind.Zone => Entity(scope, await calculator.ZoneAsync(scope.Id, stamp, cancellationToken), stamp),
            ScopeKind.City => Entity(scope, await calculator.CityAsync(scope.Id, stamp, cancellationToken), stamp),
            ScopeKind.Industry => Entity(scope, await calculator.IndustryAsync(scope.Id, stamp, cancellationToken), stamp),
            ScopeKind.Organization => Entity(scope, await calculator.OrganizationAsync(scope.Id, stamp, cancellationToken), stamp),
            _ => EnumNames.TryParse<OrganizationType>(scope.Id, out var type)
                ? Entity(scope, await calculator.OrganizationTypeAsync(type, stamp, cancellationToken), stamp)
                : null,
        };

        run.ScopeComputed();
        if (entity is null)
        {
            if (await AggregateRecords.DeleteAsync(tables.Aggregates, AggregateRecords.Partition(scope.Kind), scope.Id, Azure.ETag.All, cancellationToken))
            {
                run.Deleted();
            }

            return;
        }

        await tables.Aggregates.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        run.Written(1);
        AfterWrite?.Invoke(scope);
    }

    private static TableEntity? Entity<T>(AggregateScope scope, T? stats, RunStamp stamp) where T : class =>
        stats is null ? null : AggregateRecords.Entity(scope, stats, stamp.RunId);

    private async Task SubmitAsync(RecomputeRun run, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        await Batches.SubmitAsync(tables.Aggregates, batch, cancellationToken);
        run.Written(batch.Count);
        foreach (var action in batch)
        {
            if (AfterWrite is not null && EnumNames.TryParse<ScopeKind>(action.Entity.PartitionKey, out var kind))
            {
                AfterWrite(new AggregateScope(kind, action.Entity.RowKey));
            }
        }
    }

    /// <summary>
    /// After a full run, an aggregate it did not write belongs to a scope that is gone, unless another run
    /// wrote it meanwhile: it is deleted only if its scope does not exist, and only as it was read.
    /// </summary>
    private async Task RemoveStaleAsync(RecomputeRun run, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RunId ne {run.Stamp.RunId}");
        await foreach (var entity in run.Scan.QueryAsync(tables.Aggregates, filter, cancellationToken, ["PartitionKey", "RowKey", AggregateRecords.RunIdProperty]))
        {
            if (!EnumNames.TryParse<ScopeKind>(entity.PartitionKey, out var kind) || !await ExistsAsync(run, new AggregateScope(kind, entity.RowKey), cancellationToken))
            {
                if (await AggregateRecords.DeleteAsync(tables.Aggregates, entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken))
                {
                    run.Deleted();
                }
            }
        }
    }

    private async Task<bool> ExistsAsync(RecomputeRun run, AggregateScope scope, CancellationToken cancellationToken) => scope.Kind switch
    {
        ScopeKind.Zone => await run.Scan.FindAsync(tables.Zones, scope.Id, Keys.MainRowKey(scope.Id), cancellationToken) is not null,
        ScopeKind.City => await run.Scan.FindAsync(tables.Cities, scope.Id, Keys.MainRowKey(scope.Id), cancellationToken) is not null,
        ScopeKind.Organization => await run.Scan.FindAsync(tables.Organizations, scope.Id, Keys.MainRowKey(scope.Id), cancellationToken) is not null,
        ScopeKind.Industry => await run.Scan.FindAsync(tables.Vocabulary, "industry", scope.Id, cancellationToken) is not null,
        _ => EnumNames.TryParse<OrganizationType>(scope.Id, out _),
    };

    private sealed class ScopeOrder : IComparer<AggregateScope>
    {
        public static ScopeOrder Instance { get; } = new();

        public int Compare(AggregateScope x, AggregateScope y) =>
            x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : string.CompareOrdinal(x.Id, y.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Aggregates {Kind} run {RunId} started (past due: {IsPastDue})")]
    private partial void LogStarted(string kind, string runId, bool isPastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aggregates {Kind} run {RunId} {Status}: {EntitiesRead} entities read, {Written} aggregates written, {Repaired} index entities repaired, {DurationMs} ms")]
    private partial void LogFinished(string kind, string runId, string status, long entitiesRead, int written, int repaired, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aggregates run {RunId} published {Count} change(s) that their writes had not put in the change feed")]
    private partial void LogChangesCompleted(string runId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aggregates run {RunId} moved {Count} row(s) of main entities from their former key (RowKey \"\") to their id")]
    private partial void LogMigrated(string runId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Aggregates run {RunId} failed")]
    private partial void LogFailed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aggregates run {RunId} ended, but its record could not be written")]
    private partial void LogNotRecorded(Exception exception, string runId);
}

using InnovationZones.Aggregates;
using InnovationZones.Storage;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Stats;

/// <summary>
/// RecomputeAggregates        timer %AggregatesSchedule% (default every 15 minutes): the dirty scopes
/// RecomputeAggregatesFull    timer %AggregatesFullSchedule% (default daily): every scope, and the index reconcile
/// Both are also run on demand: POST /admin/functions/{name} on the host's admin API.
/// </summary>
public sealed class AggregatesFunctions(AggregatesRecompute recompute, ReadCache reads)
{
    /// <summary>The app setting that holds <see cref="RecomputeAggregates"/>'s NCRONTAB schedule.</summary>
    public const string ScheduleSetting = "AggregatesSchedule";

    [Function(nameof(RecomputeAggregates))]
    public Task RecomputeAggregates([TimerTrigger("%AggregatesSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        ForgetAfterAsync(recompute.RunIncrementalAsync(cancellationToken, timer?.IsPastDue ?? false));

    [Function(nameof(RecomputeAggregatesFull))]
    public Task RecomputeAggregatesFull([TimerTrigger("%AggregatesFullSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        ForgetAfterAsync(recompute.RunFullAsync(cancellationToken, timer?.IsPastDue ?? false));

    /// <summary>What a run wrote (aggregates, and entities its reconcile repaired) is read from storage on this instance from then on.</summary>
    private async Task ForgetAfterAsync(Task<RunRecord> run)
    {
        try
        {
            await run;
        }
        finally
        {
            await reads.ForgetAggregatesAsync();
            await reads.ForgetDataAsync();
        }
    }
}

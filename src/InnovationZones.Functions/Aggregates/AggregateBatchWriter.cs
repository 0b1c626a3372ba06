using Azure.Data.Tables;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Writes a full run's aggregates in transactions of one partition (scope kind), at most one in flight
/// while the run goes on reading, so that reads and writes overlap.
/// </summary>
internal sealed class AggregateBatchWriter(Func<List<TableTransactionAction>, Task> submit, Action added)
{
    private List<TableTransactionAction> batch = [];
    private Task pending = Task.CompletedTask;

    public async Task AddAsync(TableEntity aggregate)
    {
        if (batch.Count == Batches.MaxActions || (batch.Count > 0 && batch[0].Entity.PartitionKey != aggregate.PartitionKey))
        {
            await FlushAsync();
        }

        batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, aggregate));
        added();
    }

    /// <summary>Waits for every write, and fails if one failed.</summary>
    public async Task CompleteAsync()
    {
        await FlushAsync();
        await pending;
    }

    /// <summary>Waits for the write in flight whatever its outcome, so that none outlives a run that failed.</summary>
    public async Task SettleAsync() => await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private async Task FlushAsync()
    {
        await pending;
        if (batch.Count > 0)
        {
            var submitting = batch;
            batch = [];
            pending = submit(submitting);
        }
    }
}

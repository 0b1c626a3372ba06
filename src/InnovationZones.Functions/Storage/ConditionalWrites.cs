using Azure;
using Azure.Data.Tables;

namespace InnovationZones.Storage;

/// <summary>Another write changed (or created, or deleted) the entity between this write's read and its write.</summary>
public sealed class ConcurrentWriteException(string message, Exception? inner = null) : Exception(message, inner)
{
    public ConcurrentWriteException()
        : this("The entity changed between read and write.")
    {
    }

    public ConcurrentWriteException(string message)
        : this(message, null)
    {
    }
}

/// <summary>
/// Writes conditional on what was read: a create fails if the entity has appeared since (409 from
/// storage), a replace or delete fails if its ETag has moved on (412). Both become
/// <see cref="ConcurrentWriteException"/>, which writers turn into a 412 or a retry.
/// </summary>
public static class ConditionalWrites
{
    /// <summary>How many times in all a write that keeps losing races is made, each time over the newer version.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// The one retry policy for lost ETag races: runs <paramref name="attempt"/> (given its number, from 1;
    /// each attempt reads the version it writes over) until it does not lose a race. After
    /// <see cref="MaxAttempts"/> the <see cref="ConcurrentWriteException"/> goes to the caller (a 409 WriteConflict).
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<int, Task<T>> attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt(i);
            }
            catch (ConcurrentWriteException) when (i < MaxAttempts)
            {
                // Another write got there first: read the newer version and write over it.
            }
        }
    }

    /// <summary>Creates <paramref name="entity"/> when <paramref name="existing"/> is null, else replaces that version; returns the new ETag.</summary>
    public static Task<ETag> PutAsync(TableClient table, TableEntity? existing, ITableEntity entity, CancellationToken cancellationToken) =>
        existing is null
            ? GuardAsync(async () => (await table.AddEntityAsync(entity, cancellationToken)).Headers.ETag!.Value)
            : ReplaceAsync(table, existing.ETag, entity, cancellationToken);

    /// <summary>As <see cref="PutAsync"/>, but leaves a row whose stored document is already <paramref name="entity"/>'s alone.</summary>
    public static Task<ETag> PutDocumentAsync(TableClient table, TableEntity? existing, TableEntity entity, CancellationToken cancellationToken) =>
        existing is not null && existing.GetString(TableReads.DocumentProperty) == entity.GetString(TableReads.DocumentProperty)
            ? Task.FromResult(existing.ETag)
            : PutAsync(table, existing, entity, cancellationToken);

    public static Task<ETag> ReplaceAsync(TableClient table, ETag ifMatch, ITableEntity entity, CancellationToken cancellationToken) =>
        GuardAsync(async () => (await table.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken)).Headers.ETag!.Value);

    public static Task DeleteAsync(TableClient table, string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var response = await table.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken);
            return response.Status == 404 ? throw new ConcurrentWriteException("The entity was deleted by another write.") : default(ETag);
        });

    /// <summary>One transaction (one partition); returns the first action's new ETag. A lost race is a <see cref="ConcurrentWriteException"/>.</summary>
    public static Task<ETag> TransactAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var responses = await table.SubmitTransactionAsync(actions, cancellationToken);
            return responses.Value[0].Headers.ETag ?? default;
        });

    private static async Task<ETag> GuardAsync(Func<Task<ETag>> write)
    {
        try
        {
            return await write();
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            throw new ConcurrentWriteException("Another write changed the entity first.", e);
        }
    }
}

using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Storage;

namespace InnovationZones.Writes;

/// <summary>
/// One kind of entity that curators write: how its route key, its request body (only the fields a
/// caller may set) and its stored form relate, how it is validated (as a one-entity dataset, by the
/// import's own validator), written, deleted and announced to the aggregates.
/// </summary>
public abstract class CuratedResource<TKey, TEntity, TBody>
    where TEntity : class
    where TBody : class
{
    /// <summary>The resource's name in problem codes: "Zone" gives ZoneNotFound.</summary>
    public abstract string Name { get; }

    /// <summary>Checks the route's key (400 InvalidId) and, for a nested resource, that its parent exists (404).</summary>
    public abstract Task RequireKeyAsync(TKey key, CancellationToken cancellationToken);

    public abstract string Describe(TKey key);

    /// <summary>Checks the route's key alone (400 InvalidId), without looking anything up.</summary>
    public abstract void CheckKey(TKey key);

    /// <summary>Where the entity's row is (and, beside it, its history): table, partition and row key.</summary>
    public abstract (TableClient Table, string PartitionKey, string RowKey) Locate(TKey key);

    public Task<TableEntity?> FindAsync(TKey key, CancellationToken cancellationToken)
    {
        var (table, partitionKey, rowKey) = Locate(key);
        return table.FindAsync(partitionKey, rowKey, cancellationToken);
    }

    public abstract TEntity Compose(TKey key, TBody body);

    public abstract TBody Decompose(TEntity entity);

    public abstract Dataset AsDataset(TEntity entity);

    /// <summary>Where a validation error on the one-entity dataset (<c>zones[0].cityId</c>) is in the request: <c>$.cityId</c>.</summary>
    public virtual string RequestPath(string datasetPath)
    {
        var end = datasetPath.IndexOf(']', StringComparison.Ordinal);
        return end < 0 ? "$" : "$" + datasetPath[(end + 1)..];
    }

    /// <summary>Writes <paramref name="entity"/> over <paramref name="existing"/> (null: creates it), conditional on its ETag.</summary>
    public abstract Task<ETag> WriteAsync(TableEntity? existing, TEntity entity, ChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>409 when other data still refers to the entity.</summary>
    public abstract Task RequireUnreferencedAsync(TEntity entity, CancellationToken cancellationToken);

    public abstract Task DeleteAsync(TableEntity existing, TEntity entity, ChangeJournal journal, CancellationToken cancellationToken);

    public abstract Task NotifyAsync(IAggregateChanges changes, TEntity? before, TEntity? after, CancellationToken cancellationToken);
}

/// <summary>
/// A resource whose entity is a main entity (PartitionKey = RowKey = id) with index entities in
/// another table: addressed by one id, deleted with its index entities.
/// </summary>
public abstract class MainEntityResource<TEntity, TBody>(TableClient main, TableClient index, string parameter)
    : CuratedResource<string, TEntity, TBody>
    where TEntity : class
    where TBody : class
{
    public override Task RequireKeyAsync(string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        return Task.CompletedTask;
    }

    public override void CheckKey(string key) => Responses.RequireId(parameter, key);

    public override string Describe(string key) => key;

    public override (TableClient Table, string PartitionKey, string RowKey) Locate(string key) => (main, key, Keys.MainRowKey(key));

    /// <summary>The entity's type in its history and in the change feed (<c>zone</c>, <c>organization</c>).</summary>
    public abstract string EntityType { get; }

    public override Task DeleteAsync(TableEntity existing, TEntity entity, ChangeJournal journal, CancellationToken cancellationToken) =>
        IndexedDocuments.DeleteAsync(main, index, existing, journal.For(EntityType), cancellationToken);

    /// <summary>Writes the entity's document and its index entities (see <see cref="IndexedDocuments"/>).</summary>
    protected Task<(WriteOutcome Outcome, ETag ETag)> WriteIndexedAsync(
        TableEntity? existing, string id, string document, IReadOnlyList<TableEntity> indexEntities, ChangeJournal? journal, CancellationToken cancellationToken, bool rewrite = false) =>
        IndexedDocuments.WriteAsync(main, index, existing, id, document, indexEntities, journal?.For(EntityType), cancellationToken, rewrite);
}

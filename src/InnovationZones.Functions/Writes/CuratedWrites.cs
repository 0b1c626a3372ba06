using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace InnovationZones.Writes;

/// <summary>
/// PUT (create or replace), PATCH (JSON merge patch) and DELETE, the same way for every resource:
/// route key, preconditions, content type, size cap, shape, then the import's validation, all before
/// anything is written; then a write conditional on the version read, so a concurrent write is never
/// lost: with If-Match it is a 412; without, the write re-reads and applies to the newer version.
/// After a successful write the aggregates are told what changed.
/// </summary>
public sealed class CuratedWrites(Tables tables, ReadCache reads, DatasetImporter importer, IAggregateChanges changes, Paging paging, IOptions<ApiOptions> options)
{
    private volatile bool tablesReady;

    /// <summary>
    /// GET of one addressed entity, with its ETag: what a conditional write starts from. The route's key is
    /// checked, then the row is read through the read cache (the write itself always reads storage).
    /// </summary>
    public Task<IResult> GetAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class =>
        Responses.EntityAsync<TEntity>(request, resource.Name, resource.Describe(key), async () =>
        {
            await resource.RequireKeyAsync(key, cancellationToken);
            var (table, partitionKey, rowKey) = resource.Locate(key);
            return await reads.FindAsync(table, partitionKey, rowKey, CachePolicy.RequiresFresh(request), cancellationToken);
        });

    /// <summary>
    /// The entity's history, newest first, paged like every list: one query of its partition's history rows
    /// (<see cref="ChangeLog"/>). A deleted entity's history stays; an entity that never was is a 404.
    /// </summary>
    public async Task<IResult> HistoryAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var query = RequestQuery.ForList(request);
        resource.CheckKey(key);
        var (table, partitionKey, rowKey) = resource.Locate(key);
        var plan = new TableQuery(table.Name).Where($"PartitionKey eq {partitionKey}").WherePrefix("RowKey", ChangeLog.HistoryPrefix(rowKey));
        return await paging.ReadPageAsync(request, query, table, plan.Filter, row => ChangeLog.Read(row, null), async () =>
        {
            if (await table.FindAsync(partitionKey, rowKey, cancellationToken) is null
                && (await table.QueryPageAsync(plan.Filter, 1, null, cancellationToken, ["RowKey"])).Entities.Count == 0)
            {
                throw Problems.NotFound(resource.Name, resource.Describe(key));
            }
        }, cancellationToken);
    }

    public async Task<IResult> PutAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var (preconditions, origin) = await StartAsync(request, resource, key, cancellationToken);
        var node = await RequestBody.ReadJsonAsync(request, MediaTypes.Json, options.Value.MaxWriteBytes, cancellationToken);
        var entity = resource.Compose(key, RequestBody.Read<TBody>(node));
        await ValidateAsync(resource, entity, cancellationToken);
        await EnsureTablesAsync(cancellationToken);

        return await RetryAsync(preconditions, new ChangeJournal(tables, origin), async journal =>
        {
            var existing = await resource.FindAsync(key, cancellationToken);
            preconditions.Check(existing?.ETag);
            var before = existing?.ReadDocument<TEntity>();
            var etag = await resource.WriteAsync(existing, entity, journal, cancellationToken);
            await NotifyIfChangedAsync(resource, existing, etag, before, entity, cancellationToken);
            request.HttpContext.Response.Headers.ETag = etag.ToString("H");
            return existing is null
                ? TypedResults.Created(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path), entity)
                : TypedResults.Ok(entity);
        });
    }

    public async Task<IResult> PatchAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var (preconditions, origin) = await StartAsync(request, resource, key, cancellationToken);
        var patch = await RequestBody.ReadJsonAsync(request, MediaTypes.MergePatch, options.Value.MaxWriteBytes, cancellationToken);
        RequestBody.ThrowIfAny(JsonShape.Check(patch, typeof(TBody), patch: true));

        return await RetryAsync(preconditions, new ChangeJournal(tables, origin, ChangeKind.Patched), async journal =>
        {
            var (existing, before) = await FindForChangeAsync(resource, key, preconditions, cancellationToken);
            var target = JsonSerializer.SerializeToNode(resource.Decompose(before), ApiJson.Options);
            var patched = MergePatch.Apply(target, patch) ?? new JsonObject();
            var entity = resource.Compose(key, RequestBody.Read<TBody>(patched));
            await ValidateAsync(resource, entity, cancellationToken);
            var etag = await resource.WriteAsync(existing, entity, journal, cancellationToken);
            await NotifyIfChangedAsync(resource, existing, etag, before, entity, cancellationToken);
            request.HttpContext.Response.Headers.ETag = etag.ToString("H");
            return TypedResults.Ok(entity);
        });
    }

    public async Task<IResult> DeleteAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var (preconditions, origin) = await StartAsync(request, resource, key, cancellationToken);
        return await RetryAsync(preconditions, new ChangeJournal(tables, origin), async journal =>
        {
            var (existing, before) = await FindForChangeAsync(resource, key, preconditions, cancellationToken);
            await resource.RequireUnreferencedAsync(before, cancellationToken);
            await resource.DeleteAsync(existing, before, journal, cancellationToken);
            await resource.NotifyAsync(changes, before, null, cancellationToken);
            return TypedResults.NoContent();
        });
    }

    private static async Task<(Preconditions Preconditions, ChangeOrigin Origin)> StartAsync<TKey, TEntity, TBody>(
        HttpRequest request, CuratedResource<TKey, TEntity, TBody> resource, TKey key, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        RequestQuery.For(request);
        var preconditions = Preconditions.Read(request);
        var origin = ChangeRequests.Read(request);
        await resource.RequireKeyAsync(key, cancellationToken);
        return (preconditions, origin);
    }

    /// <summary>Creates missing tables once, after validation: a refused write changes nothing, not even the table list.</summary>
    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (!tablesReady)
        {
            await tables.CreateIfNotExistsAsync(cancellationToken);
            tablesReady = true;
        }
    }

    /// <summary>Tells the aggregates about a write that changed something (a write of what was stored keeps its ETag).</summary>
    private Task NotifyIfChangedAsync<TKey, TEntity, TBody>(
        CuratedResource<TKey, TEntity, TBody> resource, TableEntity? existing, ETag etag, TEntity? before, TEntity after, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class =>
        existing is not null && existing.ETag == etag ? Task.CompletedTask : resource.NotifyAsync(changes, before, after, cancellationToken);

    /// <summary>The stored entity a PATCH or DELETE changes: 404 when there is none, 412 when the preconditions fail.</summary>
    private static async Task<(TableEntity Existing, TEntity Before)> FindForChangeAsync<TKey, TEntity, TBody>(
        CuratedResource<TKey, TEntity, TBody> resource, TKey key, Preconditions preconditions, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var existing = await resource.FindAsync(key, cancellationToken) ?? throw Problems.NotFound(resource.Name, resource.Describe(key));
        preconditions.Check(existing.ETag);
        return (existing, existing.ReadDocument<TEntity>());
    }

    /// <summary>The import's validation of the entity as a one-entity dataset, references looked up in storage.</summary>
    private async Task ValidateAsync<TKey, TEntity, TBody>(CuratedResource<TKey, TEntity, TBody> resource, TEntity entity, CancellationToken cancellationToken)
        where TEntity : class
        where TBody : class
    {
        var errors = await importer.ValidateAsync(resource.AsDataset(entity), cancellationToken);
        if (errors.Count > 0)
        {
            throw Problems.InvalidBody(errors.Select(e => (resource.RequestPath(e.Path), e.Message)));
        }
    }

    /// <summary>
    /// A write raced by another: with preconditions the caller's version is gone (412); without, the
    /// write is repeated against the newer version (last writer wins, nothing half-applied).
    /// </summary>
    private async Task<IResult> RetryAsync(Preconditions preconditions, ChangeJournal journal, Func<ChangeJournal, Task<IResult>> attempt)
    {
        try
        {
            var result = preconditions.Any ? await attempt(journal) : await ConditionalWrites.RetryAsync(_ => attempt(journal));

            // The change is stored with the entity; the feed gets it now (or, after a crash, from the next full run).
            await journal.PublishAsync(CancellationToken.None);
            return result;
        }
        catch (ConcurrentWriteException) when (preconditions.Any)
        {
            throw Problems.PreconditionFailed("Another write changed the entity first. GET it again and retry with its current ETag.");
        }
        finally
        {
            // Whatever was written, even in part, is read from storage on this instance from now on.
            await reads.ForgetDataAsync();
        }
    }
}

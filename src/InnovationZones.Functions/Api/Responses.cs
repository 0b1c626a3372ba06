using Azure.Data.Tables;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>Shared shapes of success: one entity with its ETag, and the reads behind them.</summary>
public static class Responses
{
    /// <summary>
    /// Reads a main entity by id (one point read) and answers it with its ETag and Last-Modified, or 304
    /// when the caller's copy is current; a malformed id is a 400, an unknown one a 404, and an Accept
    /// that excludes JSON a 406 (decided before the read), all problem responses.
    /// </summary>
    public static async Task<IResult> EntityAsync<T>(
        HttpRequest request, TableClient table, string resource, string parameter, string id, CancellationToken cancellationToken)
    {
        RequestQuery.For(request);
        ContentNegotiation.Choose(request, csv: false);
        var entity = await FindMainAsync(table, resource, parameter, id, cancellationToken);
        return Representation.ForEntity(request, entity.ReadDocument<T>(), entity.ETag, entity.Timestamp, CachePolicy.Entity);
    }

    /// <summary>One point read of a main entity, or the problem that its id is malformed or unknown.</summary>
    public static async Task<TableEntity> FindMainAsync(TableClient table, string resource, string parameter, string id, CancellationToken cancellationToken)
    {
        RequireId(parameter, id);
        return await table.FindAsync(id, Keys.MainRowKey, cancellationToken) ?? throw Problems.NotFound(resource, id);
    }

    public static void RequireId(string parameter, string id)
    {
        if (!Keys.IsSlug(id))
        {
            throw Problems.InvalidId(parameter, $"'{parameter}' must be an id: {Keys.SlugRule}.");
        }
    }

    /// <summary>Whether a city, zone or vocabulary entry exists: the check behind "unknown filter values are 400".</summary>
    public static async Task<bool> ExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        await table.FindAsync(partitionKey, rowKey, cancellationToken) is not null;
}

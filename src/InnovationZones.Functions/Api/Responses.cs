using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>Shared shapes of success: one entity with its ETag, and the checks before it.</summary>
public static class Responses
{
    /// <summary>
    /// Answers the entity that <paramref name="find"/> reads (one point read) with its ETag and Last-Modified,
    /// or 304 when the caller's copy is current. Query parameters and an Accept that excludes JSON (406) are
    /// checked before the read; <paramref name="find"/> checks the route's ids; nothing found is the 404 problem.
    /// </summary>
    public static async Task<IResult> EntityAsync<T>(HttpRequest request, string resource, string id, Func<Task<TableEntity?>> find)
    {
        ArgumentNullException.ThrowIfNull(find);
        RequestQuery.For(request);
        ContentNegotiation.Choose(request, csv: false);
        var entity = await find() ?? throw Problems.NotFound(resource, id);
        return Representation.ForEntity(entity.ReadDocument<T>(), entity.ETag, entity.Timestamp, CachePolicy.Entity);
    }

    /// <summary>The 404 problem unless <paramref name="find"/> reads something.</summary>
    public static async Task RequireFoundAsync(string resource, string id, Func<Task<TableEntity?>> find)
    {
        ArgumentNullException.ThrowIfNull(find);
        _ = await find() ?? throw Problems.NotFound(resource, id);
    }

    /// <summary>The route's id, or the 400 problem that it is malformed.</summary>
    public static string RequireId(string parameter, string id) =>
        Slugs.IsSlug(id) ? id : throw Problems.InvalidId(parameter, $"'{parameter}' must be an id: {Slugs.Rule}.");
}

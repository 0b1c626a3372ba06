using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Zones", "Innovation zones: science cities, economic development zones, high-tech zones and the like.")]

namespace InnovationZones.Zones;

/// <summary>
/// GET v1/zones                              list; filters city, kind, industry
/// GET v1/zones/{zoneId}                     one zone
/// GET v1/zones/{zoneId}/organizations       organizations located in the zone
/// </summary>
public sealed class ZonesApi(Tables tables, ReadCache reads, Paging paging)
{
    [Function(nameof(ListZones))]
    [ApiOperation("Zones", "List zones", Returns = typeof(Zone), List = true, Csv = true, Filters = typeof(ZoneFilters),
        Description = "Science cities, economic development zones and the like, in id order. Filters combine.")]
    public async Task<IResult> ListZones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, out ZoneFilters filters);
        var plan = ZoneIndex.Plan(city: filters.City, kind: filters.Kind, industry: filters.Industry);
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<Zone>(),
            () => RequireKnownAsync(query, filters, CachePolicy.RequiresFresh(request), cancellationToken), cancellationToken);
    }

    [Function(nameof(GetZone))]
    [ApiOperation("Zones", "Get a zone", Returns = typeof(Zone), NotFound = "Zone",
        Description = "One zone: district, area, focus industries, policies and goals, each with its source.")]
    public Task<IResult> GetZone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<Zone>(request, "Zone", zoneId,
            () => reads.FindMainAsync(tables.Zones, Responses.RequireId(nameof(zoneId), zoneId), CachePolicy.RequiresFresh(request), cancellationToken));

    [Function(nameof(ListZoneOrganizations))]
    [ApiOperation("Zones", "List the organizations located in a zone", Returns = typeof(Organization), List = true, Csv = true, NotFound = "Zone")]
    public async Task<IResult> ListZoneOrganizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}/organizations")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var plan = OrganizationIndex.Plan(zone: Responses.RequireId(nameof(zoneId), zoneId));
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<Organization>(),
            () => Responses.RequireFoundAsync("Zone", zoneId, () => reads.FindMainAsync(tables.Zones, zoneId, CachePolicy.RequiresFresh(request), cancellationToken)), cancellationToken);
    }

    /// <summary>Filter values that name data must name something that exists: one point read each (through the read cache), on the first page only.</summary>
    private async Task RequireKnownAsync(RequestQuery query, ZoneFilters filters, bool fresh, CancellationToken cancellationToken)
    {
        await query.RequireKnownAsync("city", filters.City, (id, ct) => reads.MainExistsAsync(tables.Cities, id, fresh, ct), "v1/cities", cancellationToken);
        await query.RequireKnownAsync("industry", filters.Industry, (id, ct) => reads.ExistsAsync(tables.Vocabulary, Tables.IndustryPartition, id, fresh, ct), "v1/industries", cancellationToken);
        query.ThrowIfInvalid();
    }
}

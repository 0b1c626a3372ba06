using InnovationZones.Api;
using InnovationZones.OpenApi;
using InnovationZones.Organizations;
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
public sealed class ZonesApi(Tables tables, Paging paging)
{
    [Function(nameof(ListZones))]
    [ApiOperation("Zones", "List zones", Returns = typeof(Zone), List = true, Csv = true,
        Description = "Science cities, economic development zones and the like, in id order. Filters combine.")]
    [ApiQuery("city", "Only zones of this city (an id from GET v1/cities).", Example = "beijing")]
    [ApiQuery("kind", "Only zones of this kind.", Value = ApiValue.Enum, Values = typeof(ZoneKind), Example = "science-city")]
    [ApiQuery("industry", "Only zones that focus on this industry (an id from GET v1/industries).", Example = "quantum-information")]
    public async Task<IResult> ListZones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, "city", "kind", "industry");
        var city = query.Slug("city");
        var kind = query.Enum<ZoneKind>("kind");
        var industry = query.Slug("industry");
        query.ThrowIfInvalid();

        // The most selective index drives the query; the other filters narrow that one partition.
        var table = new TableQuery(industry is null && city is null && kind is null ? tables.Zones : tables.ZoneIndex);
        if (industry is not null)
        {
            table.Where($"PartitionKey eq {ZoneIndex.IndustryPartition(industry)}");
        }
        else if (city is not null)
        {
            table.Where($"PartitionKey eq {ZoneIndex.CityPartition(city)}");
        }
        else if (kind is { } k)
        {
            table.Where($"PartitionKey eq {ZoneIndex.KindPartition(k)}");
        }
        else
        {
            table.Where($"RowKey eq {Keys.MainRowKey}");
        }

        if (industry is not null && city is not null)
        {
            table.WhereEquals(ZoneIndex.CityProperty, city);
        }

        if (kind is { } narrowKind && (industry is not null || city is not null))
        {
            table.WhereEquals(ZoneIndex.KindProperty, EnumNames.Name(narrowKind));
        }

        return await table.ReadPageAsync(
            request, paging, query, e => e.ReadDocument<Zone>(), cancellationToken,
            () => Filters.RequireKnownAsync(query, tables, city: city, industry: industry, cancellationToken: cancellationToken));
    }

    [Function(nameof(GetZone))]
    [ApiOperation("Zones", "Get a zone", Returns = typeof(Zone), NotFound = "Zone",
        Description = "One zone: district, area, focus industries, policies and goals, each with its source.")]
    [ApiPath("zoneId", "The zone's id.", Example = "zhongguancun-science-city")]
    public Task<IResult> GetZone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<Zone>(request, tables.Zones, "Zone", nameof(zoneId), zoneId, cancellationToken);

    [Function(nameof(ListZoneOrganizations))]
    [ApiOperation("Zones", "List the organizations located in a zone", Returns = typeof(Organization), List = true, Csv = true, NotFound = "Zone")]
    [ApiPath("zoneId", "The zone's id.", Example = "zhongguancun-science-city")]
    public async Task<IResult> ListZoneOrganizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}/organizations")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        Responses.RequireId(nameof(zoneId), zoneId);
        var table = new TableQuery(tables.OrganizationIndex).Where($"PartitionKey eq {OrganizationIndex.ZonePartition(zoneId)}");
        return await table.ReadPageAsync(
            request, paging, query, e => e.ReadDocument<Organization>(), cancellationToken,
            () => Responses.FindMainAsync(tables.Zones, "Zone", nameof(zoneId), zoneId, cancellationToken));
    }
}

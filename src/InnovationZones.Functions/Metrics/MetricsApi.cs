using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Metrics", "Figures about a zone or a city, each with its unit, period, qualifier and source.")]

namespace InnovationZones.Metrics;

/// <summary>
/// GET v1/zones/{zoneId}/metrics             a zone's observations; filters indicator, from, to
/// GET v1/cities/{cityId}/metrics            a city's observations; the same filters
/// </summary>
public sealed class MetricsApi(Tables tables, ReadCache reads, Paging paging)
{
    private const string ListDescription = "In indicator, then period order. `to` includes everything within its own precision: `to=2021` includes `2021-07`.";

    [Function(nameof(ListZoneMetrics))]
    [ApiOperation("Metrics", "List a zone's observations", Returns = typeof(MetricObservation), List = true, Csv = true, NotFound = "Zone", Filters = typeof(MetricFilters),
        Description = ListDescription)]
    public Task<IResult> ListZoneMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}/metrics")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        ListAsync(request, new EntityRef(EntityKind.Zone, zoneId), tables.Zones, "Zone", nameof(zoneId), cancellationToken);

    [Function(nameof(ListCityMetrics))]
    [ApiOperation("Metrics", "List a city's observations", Returns = typeof(MetricObservation), List = true, Csv = true, NotFound = "City", Filters = typeof(MetricFilters),
        Description = ListDescription)]
    [ApiQuery("indicator", "Only this indicator.", Example = "innovation-platforms-gdp-share")]
    public Task<IResult> ListCityMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities/{cityId}/metrics")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken) =>
        ListAsync(request, new EntityRef(EntityKind.City, cityId), tables.Cities, "City", nameof(cityId), cancellationToken);

    private async Task<IResult> ListAsync(
        HttpRequest request, EntityRef scope, TableClient scopeTable, string resource, string parameter, CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, out MetricFilters filters);
        var plan = MetricRecords.Plan(scope with { Id = Responses.RequireId(parameter, scope.Id) }, filters.Indicator, filters.From, filters.To);
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<MetricObservation>(),
            () => Responses.RequireFoundAsync(resource, scope.Id, () => reads.FindMainAsync(scopeTable, scope.Id, CachePolicy.RequiresFresh(request), cancellationToken)), cancellationToken);
    }
}

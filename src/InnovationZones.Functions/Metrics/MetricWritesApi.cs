using InnovationZones.Api;
using InnovationZones.Facts;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Metrics;

/// <summary>
/// GET    v1/zones/{zoneId}/metrics/{indicator}/{period}     one observation, with its ETag
/// PUT    v1/zones/{zoneId}/metrics/{indicator}/{period}     create or replace a zone's observation
/// PATCH  v1/zones/{zoneId}/metrics/{indicator}/{period}     change some of its fields (merge patch)
/// DELETE v1/zones/{zoneId}/metrics/{indicator}/{period}     delete it
/// GET, PUT, PATCH, DELETE v1/cities/{cityId}/metrics/{indicator}/{period}: the same for a city's
/// </summary>
public sealed class MetricWritesApi(CuratedWrites writes, MetricResource metrics)
{
    private const string ZoneRoute = "v1/zones/{zoneId}/metrics/{indicator}/{period}";
    private const string CityRoute = "v1/cities/{cityId}/metrics/{indicator}/{period}";

    [Function(nameof(GetZoneMetric))]
    public Task<IResult> GetZoneMetric(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        CuratedWrites.GetAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(PutZoneMetric))]
    public Task<IResult> PutZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PutAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(PatchZoneMetric))]
    public Task<IResult> PatchZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PatchAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(DeleteZoneMetric))]
    public Task<IResult> DeleteZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(GetCityMetric))]
    public Task<IResult> GetCityMetric(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        CuratedWrites.GetAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(PutCityMetric))]
    public Task<IResult> PutCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PutAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(PatchCityMetric))]
    public Task<IResult> PatchCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PatchAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(DeleteCityMetric))]
    public Task<IResult> DeleteCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);
}

using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Writes;
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
    [ApiOperation("Metrics", "Get one of a zone's observations", Returns = typeof(MetricObservation), NotFound = "MetricObservation", Problems = ["ZoneNotFound"],
        Description = "One observation, with its ETag: what a conditional write starts from.")]
    public Task<IResult> GetZoneMetric(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.GetAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(PutZoneMetric))]
    [ApiOperation("Metrics", "Create or replace one of a zone's observations", Returns = typeof(MetricObservation), Accepts = typeof(MetricBody), Creates = true, Conditional = true, NotFound = "Zone", Problems = ["MalformedJson", "InvalidBody"],
        Description = "The route gives the scope, indicator and period; the body the rest. 201 when it creates, 200 when it replaces; the new ETag either way.")]
    public Task<IResult> PutZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PutAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(PatchZoneMetric))]
    [ApiOperation("Metrics", "Change some of a zone's observation's fields", Returns = typeof(MetricObservation), Accepts = typeof(MetricBody), MergePatch = true, Conditional = true, NotFound = "MetricObservation", Problems = ["ZoneNotFound", "MalformedJson", "InvalidBody"],
        Description = "A JSON merge patch of the observation's body; the result is validated as a whole.")]
    public Task<IResult> PatchZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PatchAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(DeleteZoneMetric))]
    [ApiOperation("Metrics", "Delete one of a zone's observations", SuccessStatus = 204, Conditional = true, NotFound = "MetricObservation", Problems = ["ZoneNotFound"])]
    public Task<IResult> DeleteZoneMetric(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ZoneRoute)] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(GetCityMetric))]
    [ApiOperation("Metrics", "Get one of a city's observations", Returns = typeof(MetricObservation), NotFound = "MetricObservation", Problems = ["CityNotFound"],
        Description = "One observation, with its ETag: what a conditional write starts from.")]
    public Task<IResult> GetCityMetric(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.GetAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(PutCityMetric))]
    [ApiOperation("Metrics", "Create or replace one of a city's observations", Returns = typeof(MetricObservation), Accepts = typeof(MetricBody), Creates = true, Conditional = true, NotFound = "City", Problems = ["MalformedJson", "InvalidBody"],
        Description = "The route gives the scope, indicator and period; the body the rest. 201 when it creates, 200 when it replaces; the new ETag either way.")]
    public Task<IResult> PutCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PutAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(PatchCityMetric))]
    [ApiOperation("Metrics", "Change some of a city's observation's fields", Returns = typeof(MetricObservation), Accepts = typeof(MetricBody), MergePatch = true, Conditional = true, NotFound = "MetricObservation", Problems = ["CityNotFound", "MalformedJson", "InvalidBody"],
        Description = "A JSON merge patch of the observation's body; the result is validated as a whole.")]
    public Task<IResult> PatchCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.PatchAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(DeleteCityMetric))]
    [ApiOperation("Metrics", "Delete one of a city's observations", SuccessStatus = 204, Conditional = true, NotFound = "MetricObservation", Problems = ["CityNotFound"])]
    public Task<IResult> DeleteCityMetric(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = CityRoute)] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);

    [Function(nameof(ListZoneMetricHistory))]
    [ApiOperation("Changes", "List the changes of one of a zone's observations", Returns = typeof(EntityChange), List = true, Csv = true, NotFound = "MetricObservation",
        Description = "Newest first, paged like every list: each change with what the entity was before and after, when, under which trace id and change set, by whom and why. A deleted entity's history stays readable.")]
    public Task<IResult> ListZoneMetricHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ZoneRoute + "/history")] HttpRequest request,
        string zoneId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.HistoryAsync(request, metrics, new MetricKey(EntityKind.Zone, zoneId, indicator, period), cancellationToken);

    [Function(nameof(ListCityMetricHistory))]
    [ApiOperation("Changes", "List the changes of one of a city's observations", Returns = typeof(EntityChange), List = true, Csv = true, NotFound = "MetricObservation",
        Description = "Newest first, paged like every list: each change with what the entity was before and after, when, under which trace id and change set, by whom and why. A deleted entity's history stays readable.")]
    public Task<IResult> ListCityMetricHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CityRoute + "/history")] HttpRequest request,
        string cityId, string indicator, string period, CancellationToken cancellationToken) =>
        writes.HistoryAsync(request, metrics, new MetricKey(EntityKind.City, cityId, indicator, period), cancellationToken);
}

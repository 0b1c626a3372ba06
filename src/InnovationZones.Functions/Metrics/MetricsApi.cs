using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.OpenApi;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Metrics", "Figures about a zone or a city, each with its unit, period, qualifier and source.")]

namespace InnovationZones.Metrics;

/// <summary>
/// GET v1/zones/{zoneId}/metrics             a zone's observations; filters indicator, from, to
/// GET v1/cities/{cityId}/metrics            a city's observations; the same filters
/// </summary>
public sealed class MetricsApi(Tables tables, Paging paging)
{
    private const string ListDescription = "In indicator, then period order. `to` includes everything within its own precision: `to=2021` includes `2021-07`.";
    private const string FromDescription = "Only periods from this one on: YYYY, YYYY-MM or YYYY-MM-DD.";
    private const string ToDescription = "Only periods up to this one, inclusive at its own precision.";

    [Function(nameof(ListZoneMetrics))]
    [ApiOperation("Metrics", "List a zone's observations", Returns = typeof(MetricObservation), List = true, Csv = true, NotFound = "Zone",
        Description = ListDescription)]
    [ApiPath("zoneId", "The zone's id.", Example = "zhongguancun-science-city")]
    [ApiQuery("indicator", "Only this indicator.", Example = "rd-expenditure")]
    [ApiQuery("from", FromDescription, Value = ApiValue.Period, Example = "2021")]
    [ApiQuery("to", ToDescription, Value = ApiValue.Period, Example = "2022")]
    public Task<IResult> ListZoneMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}/metrics")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        ListAsync(request, new EntityRef(EntityKind.Zone, zoneId), tables.Zones, "Zone", nameof(zoneId), cancellationToken);

    [Function(nameof(ListCityMetrics))]
    [ApiOperation("Metrics", "List a city's observations", Returns = typeof(MetricObservation), List = true, Csv = true, NotFound = "City",
        Description = ListDescription)]
    [ApiPath("cityId", "The city's id.", Example = "beijing")]
    [ApiQuery("indicator", "Only this indicator.", Example = "innovation-platforms-gdp-share")]
    [ApiQuery("from", FromDescription, Value = ApiValue.Period, Example = "2021")]
    [ApiQuery("to", ToDescription, Value = ApiValue.Period, Example = "2022")]
    public Task<IResult> ListCityMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities/{cityId}/metrics")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken) =>
        ListAsync(request, new EntityRef(EntityKind.City, cityId), tables.Cities, "City", nameof(cityId), cancellationToken);

    /// <summary>
    /// One scope's partition, in indicator then period order. With an indicator the periods are a row-key
    /// range; without one, from and to filter the partition on the server. <c>to</c> is inclusive at its
    /// own precision: to=2021 includes 2021-07.
    /// </summary>
    private async Task<IResult> ListAsync(
        HttpRequest request, EntityRef scope, TableClient scopeTable, string resource, string parameter, CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, "indicator", "from", "to");
        var indicator = query.Slug("indicator");
        var from = query.Period("from");
        var to = query.Period("to");
        if (from is not null && to is not null && string.CompareOrdinal(from, to) > 0)
        {
            query.Fail("from", "'from' is after 'to'.");
        }

        query.ThrowIfInvalid();
        Responses.RequireId(parameter, scope.Id);

        var table = new TableQuery(tables.Metrics).Where($"PartitionKey eq {MetricRecords.Partition(scope)}");
        if (indicator is not null)
        {
            var prefix = indicator + Keys.Separator;
            table.Where($"RowKey ge {prefix + (from ?? "")}")
                .Where($"RowKey lt {Keys.PrefixUpperBound(prefix + (to ?? ""))}");
        }
        else
        {
            if (from is not null)
            {
                table.Where(FormattableStringFactory.Create(MetricRecords.PeriodProperty + " ge {0}", from));
            }

            if (to is not null)
            {
                table.Where(FormattableStringFactory.Create(MetricRecords.PeriodProperty + " lt {0}", Keys.PrefixUpperBound(to)));
            }
        }

        return await table.ReadPageAsync(
            request, paging, query, e => e.ReadDocument<MetricObservation>(), cancellationToken,
            () => Responses.FindMainAsync(scopeTable, resource, parameter, scope.Id, cancellationToken));
    }
}

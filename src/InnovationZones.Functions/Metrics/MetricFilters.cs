using InnovationZones.Api;
using InnovationZones.Domain;

namespace InnovationZones.Metrics;

/// <summary>
/// The filters of a scope's observations (GET v1/zones/{zoneId}/metrics, GET v1/cities/{cityId}/metrics);
/// <see cref="MetricRecords.Plan"/> reads them from the table.
/// </summary>
public sealed record MetricFilters(
    [property: ApiQuery("indicator", "Only this indicator.", Example = "rd-expenditure")] string? Indicator = null,
    [property: ApiQuery("from", "Only periods from this one on: YYYY, YYYY-MM or YYYY-MM-DD. After `to` is a 400.", Value = ApiValue.Period, Example = "2021")] string? From = null,
    [property: ApiQuery("to", "Only periods up to this one, inclusive at its own precision.", Value = ApiValue.Period, Example = "2022")] string? To = null)
    : IQueryFilters
{
    public void Check(RequestQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (From is not null && To is not null && string.CompareOrdinal(From, To) > 0)
        {
            query.Fail("from", "'from' is after 'to'.");
        }
    }
}

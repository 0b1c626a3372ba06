using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Metrics;

/// <summary>The filters of a scope's observations (GET v1/zones/{zoneId}/metrics, GET v1/cities/{cityId}/metrics).</summary>
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

/// <summary>
/// Metric observations (table Metrics): partition <c>{scope kind}|{scope id}</c>, row
/// <c>{indicator}|{period}</c>, so one indicator's series is one range of one partition.
/// </summary>
public static class MetricRecords
{
    public const string PeriodProperty = "Period";

    public static string Partition(EntityRef scope) => Keys.Join(EnumNames.Name(scope.Kind), scope.Id);

    public static string Row(string indicator, string period) => Keys.Join(indicator, period);

    /// <summary>
    /// One scope's partition, in indicator then period order. With an indicator the periods are a row-key
    /// range; without one, from and to filter the partition on the server. <c>to</c> is inclusive at its
    /// own precision: to=2021 includes 2021-07.
    /// </summary>
    public static TableQuery Plan(EntityRef scope, MetricFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (indicator, from, to) = filters;
        var query = new TableQuery(nameof(Tables.Metrics)).Where($"PartitionKey eq {Partition(scope)}");
        if (indicator is not null)
        {
            var prefix = indicator + Keys.Separator;
            return query.Where($"RowKey ge {prefix + (from ?? "")}").Where($"RowKey lt {Keys.PrefixUpperBound(prefix + (to ?? ""))}");
        }

        // The whole partition: its live rows, not their history (ChangeLog).
        query.Where($"RowKey lt {ChangeLog.LiveRowsEnd}");

        if (from is not null)
        {
            query.Where(FormattableStringFactory.Create(PeriodProperty + " ge {0}", from));
        }

        if (to is not null)
        {
            query.Where(FormattableStringFactory.Create(PeriodProperty + " lt {0}", Keys.PrefixUpperBound(to)));
        }

        return query;
    }

    public static TableEntity Entity(MetricObservation observation)
    {
        var entity = IndexedDocuments.IndexEntity(Partition(observation.Scope), Row(observation.Indicator, observation.Period.Value), ApiJson.Serialize(observation));
        entity[PeriodProperty] = observation.Period.Value;
        return entity;
    }
}

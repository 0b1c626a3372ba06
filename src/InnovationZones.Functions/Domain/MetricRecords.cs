using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Domain;

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
    /// One scope's partition, in indicator then period order (the filters of a scope's metrics). With an
    /// indicator the periods are a row-key range; without one, from and to filter the partition on the
    /// server. <c>to</c> is inclusive at its own precision: to=2021 includes 2021-07.
    /// </summary>
    public static TableQuery Plan(EntityRef scope, string? indicator = null, string? from = null, string? to = null)
    {
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

    /// <summary>An observation's id in its history and in the change feed: <c>{zone|city}/{id}/{indicator}/{period}</c>.</summary>
    public static string HistoryId(MetricObservation observation) =>
        string.Join('/', EnumNames.Name(observation.Scope.Kind), observation.Scope.Id, observation.Indicator, observation.Period.Value);

    public static TableEntity Entity(MetricObservation observation)
    {
        var entity = IndexedDocuments.IndexEntity(Partition(observation.Scope), Row(observation.Indicator, observation.Period.Value), ApiJson.Serialize(observation));
        entity[PeriodProperty] = observation.Period.Value;
        return entity;
    }
}

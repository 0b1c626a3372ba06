using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Metrics;

/// <summary>
/// Metric observations (table Metrics): partition <c>{scope kind}|{scope id}</c>, row
/// <c>{indicator}|{period}</c>, so one indicator's series is one range of one partition.
/// </summary>
public static class MetricRecords
{
    public const string PeriodProperty = "Period";

    public static string Partition(EntityRef scope) => Keys.Join(EnumNames.Name(scope.Kind), scope.Id);

    public static string Row(string indicator, string period) => Keys.Join(indicator, period);

    public static TableEntity Entity(MetricObservation observation)
    {
        var entity = IndexedDocuments.IndexEntity(Partition(observation.Scope), Row(observation.Indicator, observation.Period.Value), Json.Serialize(observation));
        entity[PeriodProperty] = observation.Period.Value;
        return entity;
    }
}

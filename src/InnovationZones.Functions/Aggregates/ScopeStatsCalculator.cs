using System.Globalization;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Computes the stats of one scope from what the documented indexes hold for it: a zone's organizations
/// from <c>OrganizationIndex zone|{id}</c>, a city's zones from <c>ZoneIndex city|{id}</c> and its
/// organizations from <c>OrganizationIndex city|{id}</c>, and so on, each
/// streamed page by page into the scope's accumulator (ScopeAccumulators.cs). An incremental run reads
/// each dirty scope this way; a full run feeds the same accumulators from one pass over each table
/// (<see cref="FullRunScopes"/>), so the two cannot disagree. Null means the scope no longer exists.
/// </summary>
public sealed class ScopeStatsCalculator(Tables tables, TableScan scan)
{
    public const string UnknownType = "unknown";
    public const string AreaUnit = "km2";

    public async Task<ZoneStats?> ZoneAsync(string zoneId, RunStamp stamp, CancellationToken cancellationToken)
    {
        if (await scan.FindAsync(tables.Zones, zoneId, Keys.MainRowKey(zoneId), cancellationToken) is not { } entity)
        {
            return null;
        }

        var zone = new ZoneAccumulator(entity.ReadDocument<Zone>());
        await foreach (var member in scan.PartitionAsync(tables.OrganizationIndex, OrganizationIndex.ZonePartition(zoneId), cancellationToken))
        {
            zone.Organizations.Add(member);
        }

        return zone.Result(await IndicatorsAsync(new EntityRef(EntityKind.Zone, zoneId), cancellationToken), stamp);
    }

    public async Task<CityStats?> CityAsync(string cityId, RunStamp stamp, CancellationToken cancellationToken)
    {
        if (await scan.FindAsync(tables.Cities, cityId, Keys.MainRowKey(cityId), cancellationToken) is not { } entity)
        {
            return null;
        }

        var city = new CityAccumulator(entity.ReadDocument<City>());
        await foreach (var row in scan.PartitionAsync(tables.ZoneIndex, ZoneIndex.CityPartition(cityId), cancellationToken))
        {
            city.AddZone(row.ReadDocument<Zone>());
        }

        await foreach (var member in scan.PartitionAsync(tables.OrganizationIndex, OrganizationIndex.CityPartition(cityId), cancellationToken))
        {
            city.Organizations.Add(member);
        }

        return city.Result(await IndicatorsAsync(new EntityRef(EntityKind.City, cityId), cancellationToken), stamp);
    }

    public async Task<IndustryStats?> IndustryAsync(string industryId, RunStamp stamp, CancellationToken cancellationToken)
    {
        if (await scan.FindAsync(tables.Vocabulary, "industry", industryId, cancellationToken) is not { } entity)
        {
            return null;
        }

        var industry = new IndustryAccumulator(entity.ReadDocument<Industry>());
        await foreach (var row in scan.PartitionAsync(tables.ZoneIndex, ZoneIndex.IndustryPartition(industryId), cancellationToken, [ZoneIndex.KindProperty]))
        {
            industry.AddZone(row);
        }

        await foreach (var member in scan.PartitionAsync(tables.OrganizationIndex, OrganizationIndex.IndustryPartition(industryId), cancellationToken))
        {
            industry.Organizations.Add(member);
        }

        return industry.Result(stamp);
    }

    public async Task<OrganizationTypeStats> OrganizationTypeAsync(OrganizationType type, RunStamp stamp, CancellationToken cancellationToken)
    {
        var accumulator = new OrganizationTypeAccumulator(type);
        await foreach (var member in scan.PartitionAsync(tables.OrganizationIndex, OrganizationIndex.TypePartition(type), cancellationToken))
        {
            accumulator.Add(member);
        }

        return accumulator.Result(stamp);
    }

    public async Task<OrganizationStats?> OrganizationAsync(string organizationId, RunStamp stamp, CancellationToken cancellationToken)
    {
        if (await scan.FindAsync(tables.Organizations, organizationId, Keys.MainRowKey(organizationId), cancellationToken) is not { } entity)
        {
            return null;
        }

        var relations = new RelationTally();
        await foreach (var row in scan.PartitionAsync(tables.Relations, RelationRecords.Partition(new EntityRef(EntityKind.Organization, organizationId)), cancellationToken, ["RowKey"]))
        {
            relations.Add(row.RowKey);
        }

        return Organization(entity.ReadDocument<Organization>(), relations, stamp);
    }

    public static OrganizationStats Organization(Organization organization, RelationTally relations, RunStamp stamp) =>
        new(organization.Id, organization.Name, relations.Result(), stamp.ComputedAt, stamp.RunId);

    /// <summary>The zone ids an organization is located in, from its stored relations (the truth the index follows).</summary>
    public async Task<List<string>> LocatedInZonesAsync(string organizationId, CancellationToken cancellationToken)
    {
        var prefix = LocatedInZonePrefix;
        var zones = new List<string>();
        await foreach (var row in scan.PrefixAsync(tables.Relations, RelationRecords.Partition(new EntityRef(EntityKind.Organization, organizationId)), prefix, cancellationToken, ["RowKey"]))
        {
            zones.Add(row.RowKey[prefix.Length..]);
        }

        return zones;
    }

    public static string LocatedInZonePrefix { get; } =
        RelationRecords.RowPrefix(RelationDirection.Outgoing, RelationType.LocatedIn) + EnumNames.Name(EntityKind.Zone) + Keys.Separator;

    /// <summary>One scope's observations in indicator then period order: the last two of each indicator are kept.</summary>
    private async Task<IReadOnlyList<IndicatorStats>> IndicatorsAsync(EntityRef scope, CancellationToken cancellationToken)
    {
        var indicators = new IndicatorsAccumulator();
        await foreach (var row in scan.PartitionAsync(tables.Metrics, MetricRecords.Partition(scope), cancellationToken))
        {
            indicators.Add(row.ReadDocument<MetricObservation>());
        }

        return indicators.Result();
    }

    public static IndicatorStats Indicator(MetricObservation latest, MetricObservation? previous) =>
        new(latest.Indicator, latest.Name, Observed(latest), previous is null ? null : Observed(previous), latest.Change,
            previous is null ? null : ChangeBetween(latest, previous));

    /// <summary>The change from the previous period: only between figures of one unit and kind of period, and only when a qualifier holds.</summary>
    public static ComputedChange? ChangeBetween(MetricObservation latest, MetricObservation previous)
    {
        if (latest.Unit != previous.Unit || latest.Denominator != previous.Denominator || latest.Period.Kind != previous.Period.Kind
            || QualifiedArithmetic.Difference(latest.Qualifier, previous.Qualifier) is not { } qualifier)
        {
            return null;
        }

        if (!QualifiedArithmetic.TryCompute(() => latest.Value - previous.Value, out var difference))
        {
            return null;
        }

        decimal? percent = null;
        Qualifier? percentQualifier = null;
        if (latest.Qualifier == Qualifier.Exact && previous.Qualifier == Qualifier.Exact && previous.Value != 0
            && QualifiedArithmetic.TryCompute(() => difference * 100, out var hundredfold))
        {
            (var value, percentQualifier) = QualifiedArithmetic.Divide(hundredfold, Qualifier.Exact, previous.Value, Qualifier.Exact, 2);
            percent = percentQualifier is null ? null : value;
        }

        return new ComputedChange(difference, latest.Denominator is null ? latest.Unit : latest.Unit + "/" + latest.Denominator.Value.ToString(CultureInfo.InvariantCulture),
            qualifier, percent, percentQualifier, previous.Period.Value);
    }

    private static ObservedValue Observed(MetricObservation o) => new(o.Period.Value, o.Period.Kind, o.Value, o.Denominator, o.Unit, o.Qualifier);

    /// <summary>Amounts per km² of the zone's area: only where the area and the figure are known and a qualifier holds.</summary>
    public static IReadOnlyList<Ratio> Ratios(Quantity? area, IReadOnlyList<IndicatorStats> indicators)
    {
        if (area is not { Unit: AreaUnit, Value: > 0 })
        {
            return [];
        }

        var ratios = new List<Ratio>();
        foreach (var indicator in indicators)
        {
            var latest = indicator.Latest;
            if (latest.Denominator is not null || latest.Value < 0 || !IsAmount(latest.Unit))
            {
                continue;
            }

            var (value, qualifier) = QualifiedArithmetic.Divide(latest.Value, latest.Qualifier, area.Value, area.Qualifier, 6);
            if (qualifier is { } q)
            {
                ratios.Add(new Ratio(indicator.Indicator + "-per-" + AreaUnit, latest.Period, value, latest.Unit + "-per-" + AreaUnit, q, latest.Value, area.Value));
            }
        }

        return ratios;
    }

    private static bool IsAmount(string unit) =>
        unit == "count" || unit.EndsWith("-cny", StringComparison.Ordinal) || unit.EndsWith("-usd", StringComparison.Ordinal);

    /// <summary>The sum of the known areas, with how many zones it covers: "271.5 km² over 2 of 4 zones".</summary>
    public static AreaTotal AreaTotalOf(IReadOnlyList<Quantity> areas, int zonesTotal)
    {
        if (areas.Count == 0)
        {
            return new AreaTotal(null, AreaUnit, null, 0, zonesTotal, $"area unknown for all {zonesTotal} zones");
        }

        var over = $"over {areas.Count} of {zonesTotal} zones";
        if (!QualifiedArithmetic.TryCompute(() => areas.Sum(a => a.Value), out var value))
        {
            return new AreaTotal(null, AreaUnit, null, areas.Count, zonesTotal, $"no total: the known areas add up beyond ±7.9e28 ({over})");
        }

        var qualifier = QualifiedArithmetic.Sum(areas.Select(a => a.Qualifier));
        if (qualifier is not { } q)
        {
            return new AreaTotal(null, AreaUnit, null, areas.Count, zonesTotal, $"no total: the qualifiers of the known areas admit none ({over})");
        }

        var words = q switch
        {
            Qualifier.MoreThan => "more than ",
            Qualifier.LessThan => "less than ",
            Qualifier.About => "about ",
            _ => "",
        };
        return new AreaTotal(value, AreaUnit, q, areas.Count, zonesTotal,
            string.Create(CultureInfo.InvariantCulture, $"{words}{value} km² {over}"));
    }
}

/// <summary>Counts an organization's relations from the row keys of its partition (<c>out|{type}|...</c>, <c>in|{type}|...</c>).</summary>
public sealed class RelationTally
{
    private readonly SortedDictionary<string, int> outgoing = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> incoming = new(StringComparer.Ordinal);
    private int count;

    public void Add(string rowKey)
    {
        var parts = rowKey.Split(Keys.Separator, 3);
        if (parts.Length < 3)
        {
            return;
        }

        var counts = parts[0] == RelationRecords.Outgoing ? outgoing : incoming;
        counts[parts[1]] = counts.TryGetValue(parts[1], out var n) ? n + 1 : 1;
        count++;
    }

    public RelationCounts Result() => new(count, outgoing, incoming);
}

/// <summary>What every aggregate of one run is stamped with.</summary>
public sealed record RunStamp(string RunId, DateTimeOffset ComputedAt);

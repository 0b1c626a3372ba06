using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// Every zone, city, industry and organization type of a full run, computed from one pass over each
/// table rather than one query per scope. The index reconcile's pass over Zones and Organizations hands
/// over each main entity with the index entities it should have (what the index holds once repaired),
/// and each is routed by partition to the accumulator that the scope's own partition query would feed
/// (<see cref="ScopeStatsCalculator"/>); Metrics is read once, its partitions in order. Memory grows with
/// the number of zones, cities and industries, never with organizations.
/// </summary>
internal sealed class FullRunScopes
{
    private readonly Dictionary<string, CityAccumulator> cities = new(StringComparer.Ordinal);

    // Keyed by the partition an organization's index entity is in: zone|{id}, city|{id}, industry|{id}, type|{type}.
    private readonly Dictionary<string, ZoneAccumulator> zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CityAccumulator> citiesOfOrganizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndustryAccumulator> industriesOfOrganizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrganizationTypeAccumulator> types = new(StringComparer.Ordinal);

    // Keyed by the partition a zone's index entity is in: industry|{id}.
    private readonly Dictionary<string, IndustryAccumulator> industriesOfZones = new(StringComparer.Ordinal);

    // Keyed by Metrics partition ({kind}|{id}), for the zones and cities that exist.
    private readonly Dictionary<string, IndicatorsAccumulator> indicators = new(StringComparer.Ordinal);

    private FullRunScopes()
    {
        foreach (var type in Enum.GetValues<OrganizationType>().OrderBy(EnumNames.Name, StringComparer.Ordinal))
        {
            types[OrganizationIndex.TypePartition(type)] = new OrganizationTypeAccumulator(type);
        }
    }

    /// <summary>Reads the cities and industries (small tables), so that zones and organizations can be routed to them.</summary>
    public static async Task<FullRunScopes> StartAsync(Tables tables, TableScan scan, CancellationToken cancellationToken)
    {
        var scopes = new FullRunScopes();
        await foreach (var entity in scan.QueryAsync(tables.Cities, ChangeLog.LiveRowsFilter, cancellationToken))
        {
            var city = entity.ReadDocument<City>();
            scopes.cities[city.Id] = scopes.citiesOfOrganizations[OrganizationIndex.CityPartition(city.Id)] = new CityAccumulator(city);
            scopes.indicators[MetricRecords.Partition(new EntityRef(EntityKind.City, city.Id))] = new IndicatorsAccumulator();
        }

        await foreach (var entity in scan.PartitionAsync(tables.Vocabulary, "industry", cancellationToken))
        {
            var industry = new IndustryAccumulator(entity.ReadDocument<Industry>());
            scopes.industriesOfZones[ZoneIndex.IndustryPartition(entity.RowKey)] = industry;
            scopes.industriesOfOrganizations[OrganizationIndex.IndustryPartition(entity.RowKey)] = industry;
        }

        return scopes;
    }

    /// <summary>Each zone's city, as the zones added so far say: what the organizations' city entries follow.</summary>
    public Dictionary<string, string> ZoneCities { get; } = new(StringComparer.Ordinal);

    /// <summary>A zone, with the ZoneIndex entities it should have. Zones come before organizations.</summary>
    public void AddZone(Zone zone, IReadOnlyList<TableEntity> indexEntities)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(indexEntities);
        ZoneCities[zone.Id] = zone.CityId;
        var members = OrganizationIndex.ZonePartition(zone.Id);
        zones[members] = new ZoneAccumulator(zone);
        indicators[MetricRecords.Partition(new EntityRef(EntityKind.Zone, zone.Id))] = new IndicatorsAccumulator();
        var cityPartition = ZoneIndex.CityPartition(zone.CityId);
        foreach (var row in indexEntities)
        {
            if (row.PartitionKey == cityPartition && cities.TryGetValue(zone.CityId, out var city))
            {
                city.AddZone(zone);
            }
            else if (industriesOfZones.TryGetValue(row.PartitionKey, out var industry))
            {
                industry.AddZone(row);
            }
        }
    }

    /// <summary>An organization's OrganizationIndex entities (as they should be), each counted where its partition's query would count it.</summary>
    public void AddOrganization(IReadOnlyList<TableEntity> indexEntities)
    {
        ArgumentNullException.ThrowIfNull(indexEntities);
        foreach (var row in indexEntities)
        {
            if (zones.TryGetValue(row.PartitionKey, out var zone))
            {
                zone.Organizations.Add(row);
            }
            else if (citiesOfOrganizations.TryGetValue(row.PartitionKey, out var city))
            {
                city.Organizations.Add(row);
            }
            else if (industriesOfOrganizations.TryGetValue(row.PartitionKey, out var industry))
            {
                industry.Organizations.Add(row);
            }
            else if (types.TryGetValue(row.PartitionKey, out var type))
            {
                type.Add(row);
            }
        }
    }

    /// <summary>Reads every observation once: a partition's rows come together, in indicator then period order.</summary>
    public async Task ReadIndicatorsAsync(Tables tables, TableScan scan, CancellationToken cancellationToken)
    {
        await foreach (var row in scan.QueryAsync(tables.Metrics, ChangeLog.LiveRowsFilter, cancellationToken))
        {
            if (indicators.TryGetValue(row.PartitionKey, out var accumulator))
            {
                accumulator.Add(row.ReadDocument<MetricObservation>());
            }
        }
    }

    /// <summary>The aggregate entities, one partition (scope kind) after another.</summary>
    public IEnumerable<TableEntity> Aggregates(RunStamp stamp)
    {
        foreach (var zone in zones.Values.OrderBy(z => z.Zone.Id, StringComparer.Ordinal))
        {
            var stats = zone.Result(Indicators(EntityKind.Zone, zone.Zone.Id), stamp);
            yield return AggregateRecords.Entity(new AggregateScope(ScopeKind.Zone, stats.ZoneId), stats, stamp.RunId);
        }

        foreach (var city in cities.Values.OrderBy(c => c.City.Id, StringComparer.Ordinal))
        {
            var stats = city.Result(Indicators(EntityKind.City, city.City.Id), stamp);
            yield return AggregateRecords.Entity(new AggregateScope(ScopeKind.City, city.City.Id), stats, stamp.RunId);
        }

        foreach (var industry in industriesOfZones.Values.OrderBy(i => i.Industry.Id, StringComparer.Ordinal))
        {
            yield return AggregateRecords.Entity(new AggregateScope(ScopeKind.Industry, industry.Industry.Id), industry.Result(stamp), stamp.RunId);
        }

        foreach (var type in types.Values)
        {
            yield return AggregateRecords.Entity(new AggregateScope(ScopeKind.OrganizationType, EnumNames.Name(type.Type)), type.Result(stamp), stamp.RunId);
        }
    }

    private IReadOnlyList<IndicatorStats> Indicators(EntityKind kind, string id) =>
        indicators[MetricRecords.Partition(new EntityRef(kind, id))].Result();
}

using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Aggregates;

// One accumulator per kind of scope, fed one index row at a time. An incremental run feeds each from the
// scope's own partitions (ScopeStatsCalculator); a full run feeds them all from one pass over each table
// (FullRunScopes). Both paths share these, so they compute the same stats.

/// <summary>A zone: its organizations (from <c>OrganizationIndex zone|{id}</c>) and its latest observations.</summary>
internal sealed class ZoneAccumulator(Zone zone)
{
    public Zone Zone => zone;

    public OrganizationTally Organizations { get; } = new(withIndustries: true);

    public ZoneStats Result(IReadOnlyList<IndicatorStats> indicators, RunStamp stamp) =>
        new(zone.Id, zone.Name, zone.CityId, zone.Kind, zone.Area, Organizations.Result(), indicators,
            ScopeStatsCalculator.Ratios(zone.Area, indicators), stamp.ComputedAt, stamp.RunId);
}

/// <summary>
/// A city: its zones (from <c>ZoneIndex city|{id}</c>) and its organizations (from <c>OrganizationIndex
/// city|{id}</c>: headquartered there or located in one of its zones, each once), by type and by how they belong.
/// </summary>
internal sealed class CityAccumulator(City city)
{
    private readonly SortedDictionary<string, int> kinds = new(StringComparer.Ordinal);
    private readonly List<Quantity> areas = [];

    public City City => city;

    public List<string> ZoneIds { get; } = [];

    public OrganizationTally Organizations { get; } = new(withIndustries: false, withMembership: true);

    public void AddZone(Zone zone)
    {
        ZoneIds.Add(zone.Id);
        Tally.Increment(kinds, EnumNames.Name(zone.Kind));
        if (zone.Area is { Unit: ScopeStatsCalculator.AreaUnit } area)
        {
            areas.Add(area);
        }
    }

    public CityStats Result(IReadOnlyList<IndicatorStats> indicators, RunStamp stamp) =>
        new(city.Id, city.Name, new ZoneCounts(ZoneIds.Count, kinds), ScopeStatsCalculator.AreaTotalOf(areas, ZoneIds.Count),
            Organizations.Result(), indicators, stamp.ComputedAt, stamp.RunId);
}

/// <summary>An industry: its zones by kind (<c>ZoneIndex industry|{id}</c>) and organizations by type (<c>OrganizationIndex industry|{id}</c>).</summary>
internal sealed class IndustryAccumulator(Industry industry)
{
    private readonly SortedDictionary<string, int> kinds = new(StringComparer.Ordinal);
    private int zones;

    public Industry Industry => industry;

    public OrganizationTally Organizations { get; } = new(withIndustries: false);

    public void AddZone(TableEntity zoneRow)
    {
        zones++;
        Tally.Increment(kinds, zoneRow.GetString(ZoneIndex.KindProperty) ?? ScopeStatsCalculator.UnknownType);
    }

    public IndustryStats Result(RunStamp stamp) =>
        new(industry.Id, industry.Name, new ZoneCounts(zones, kinds), Organizations.Result(), stamp.ComputedAt, stamp.RunId);
}

/// <summary>An organization type: its organizations (<c>OrganizationIndex type|{type}</c>), the zones they are in and their industries.</summary>
internal sealed class OrganizationTypeAccumulator(OrganizationType type)
{
    private readonly HashSet<string> zones = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> industries = new(StringComparer.Ordinal);
    private int count;

    public OrganizationType Type => type;

    public void Add(TableEntity member)
    {
        count++;
        zones.UnionWith(Tally.Flags(member, Tally.ZoneFlagPrefix));
        foreach (var industry in Tally.Flags(member, Tally.IndustryFlagPrefix))
        {
            Tally.Increment(industries, industry);
        }
    }

    public OrganizationTypeStats Result(RunStamp stamp) =>
        new(EnumNames.Name(type), count, zones.Count, industries, stamp.ComputedAt, stamp.RunId);
}

/// <summary>
/// Counts organizations from their index copies: by type and, for zones, by industry; for cities, by how
/// they belong (an organization both headquartered there and located in one of its zones counts in both).
/// </summary>
internal sealed class OrganizationTally(bool withIndustries, bool withMembership = false)
{
    private readonly SortedDictionary<string, int> byType = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> byIndustry = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> byMembership = Enum.GetValues<CityMembership>().ToDictionary(m => EnumNames.Name(m), _ => 0, StringComparer.Ordinal);
    private int count;

    public void Add(TableEntity member)
    {
        count++;
        Tally.Increment(byType, member.GetString(OrganizationIndex.TypeProperty) ?? ScopeStatsCalculator.UnknownType);
        if (withIndustries)
        {
            foreach (var industry in Tally.Flags(member, Tally.IndustryFlagPrefix))
            {
                Tally.Increment(byIndustry, industry);
            }
        }

        if (withMembership)
        {
            foreach (var membership in OrganizationIndex.ReadMembership(member))
            {
                byMembership[EnumNames.Name(membership)]++;
            }
        }
    }

    public OrganizationCounts Result() => new(count, byType, withIndustries ? byIndustry : null, withMembership ? byMembership : null);
}

/// <summary>
/// One scope's observations, fed in the order of its Metrics partition (indicator, then period): the
/// last two of each indicator make its latest and previous figures.
/// </summary>
internal sealed class IndicatorsAccumulator
{
    private readonly List<IndicatorStats> result = [];
    private MetricObservation? previous;
    private MetricObservation? latest;

    public void Add(MetricObservation observation)
    {
        if (latest is not null && latest.Indicator != observation.Indicator)
        {
            result.Add(ScopeStatsCalculator.Indicator(latest, previous));
            previous = null;
        }
        else
        {
            previous = latest;
        }

        latest = observation;
    }

    public IReadOnlyList<IndicatorStats> Result()
    {
        if (latest is not null)
        {
            result.Add(ScopeStatsCalculator.Indicator(latest, previous));
            latest = previous = null;
        }

        return result;
    }
}

/// <summary>Helpers for counting index rows.</summary>
internal static class Tally
{
    public const string IndustryFlagPrefix = "i_";
    public const string ZoneFlagPrefix = "z_";

    public static void Increment(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    /// <summary>The slugs of an index entity's membership flags (<c>i_</c>, <c>z_</c>); slugs hold no underscore, so the mapping is exact.</summary>
    public static IEnumerable<string> Flags(TableEntity entity, string prefix) =>
        entity.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && entity[k] is true)
            .Select(k => k[prefix.Length..].Replace('_', '-'));
}

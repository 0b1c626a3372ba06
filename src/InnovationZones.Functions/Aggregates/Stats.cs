using System.Text.Json.Serialization;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Aggregates;

/// <summary>
/// Counts of organizations: in all, by type (<c>unknown</c> where the source gives none), by industry (a
/// zone's), and by how they belong (a city's: <c>headquartered</c> there, <c>located-in-zone</c> in one of
/// its zones; one that is both counts in both, so these may add up to more than <see cref="Count"/>).
/// </summary>
public sealed record OrganizationCounts(
    int Count, IReadOnlyDictionary<string, int> ByType, IReadOnlyDictionary<string, int>? ByIndustry, IReadOnlyDictionary<string, int>? ByMembership = null);

/// <summary>Counts of zones: in all and by kind.</summary>
public sealed record ZoneCounts(int Count, IReadOnlyDictionary<string, int> ByKind);

/// <summary>
/// The total area of a city's zones and how many zones it covers: a sum over the zones whose area is
/// known, never presented as the whole. <see cref="Value"/> and <see cref="Qualifier"/> are null when the
/// qualifiers of the parts admit no total (see <see cref="QualifiedArithmetic"/>).
/// </summary>
public sealed record AreaTotal(decimal? Value, string Unit, Qualifier? Qualifier, int ZonesCovered, int ZonesTotal, string Text);

/// <summary>One observation as the stats show it: its period and figure.</summary>
public sealed record ObservedValue(string Period, PeriodKind PeriodKind, decimal Value, int? Denominator, string Unit, Qualifier Qualifier);

/// <summary>A change computed from two stored periods of one indicator (same unit): the difference, and the percentage where both are exact.</summary>
public sealed record ComputedChange(decimal Value, string Unit, Qualifier Qualifier, decimal? Percent, Qualifier? PercentQualifier, string ComparedTo);

/// <summary>
/// The latest value of one indicator, the period before it (if stored), the change the source states
/// with the latest value, and the change computed between the two periods where both are known.
/// </summary>
public sealed record IndicatorStats(
    string Indicator,
    string Name,
    ObservedValue Latest,
    ObservedValue? Previous,
    Change? StatedChange,
    ComputedChange? ComputedChange);

/// <summary>A figure per unit of area (such as R&amp;D expenditure per km²), given only when every input is known.</summary>
public sealed record Ratio(string Indicator, string Period, decimal Value, string Unit, Qualifier Qualifier, decimal Numerator, decimal Denominator);

public sealed record ZoneStats(
    string ZoneId,
    string Name,
    string CityId,
    ZoneKind Kind,
    Quantity? Area,
    OrganizationCounts Organizations,
    IReadOnlyList<IndicatorStats> Indicators,
    IReadOnlyList<Ratio> Ratios,
    DateTimeOffset ComputedAt,
    string RunId);

public sealed record CityStats(
    string CityId,
    string Name,
    ZoneCounts Zones,
    AreaTotal Area,
    OrganizationCounts Organizations,
    IReadOnlyList<IndicatorStats> Facts,
    DateTimeOffset ComputedAt,
    string RunId);

public sealed record IndustryStats(
    string Industry,
    string Name,
    ZoneCounts Zones,
    OrganizationCounts Organizations,
    DateTimeOffset ComputedAt,
    string RunId);

public sealed record OrganizationTypeStats(
    string Type,
    int Organizations,
    int Zones,
    IReadOnlyDictionary<string, int> ByIndustry,
    DateTimeOffset ComputedAt,
    string RunId);

/// <summary>An organization's relations, counted by direction and type ("initiated-by": 6).</summary>
public sealed record OrganizationStats(
    string OrganizationId,
    string Name,
    RelationCounts Relations,
    DateTimeOffset ComputedAt,
    string RunId);

public sealed record RelationCounts(int Count, IReadOnlyDictionary<string, int> Outgoing, IReadOnlyDictionary<string, int> Incoming);

[JsonConverter(typeof(JsonStringEnumConverter<RunKind>))]
public enum RunKind
{
    [JsonStringEnumMemberName("full")] Full,
    [JsonStringEnumMemberName("incremental")] Incremental,
}

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>How many index entities a reconcile repaired, by kind of drift.</summary>
public sealed record IndexRepairs(int Missing, int Stale, int Orphaned)
{
    public int Total => Missing + Stale + Orphaned;

    public static IndexRepairs None { get; } = new(0, 0, 0);

    public IndexRepairs Add(IndexRepairs other) => new(Missing + other.Missing, Stale + other.Stale, Orphaned + other.Orphaned);
}

/// <summary>One recompute, as stored in the AggregateRuns table.</summary>
public sealed record RunRecord(
    string RunId,
    RunKind Kind,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationMs,
    long EntitiesRead,
    int ScopesRecomputed,
    int AggregatesWritten,
    int AggregatesDeleted,
    IndexRepairs IndexEntriesRepaired,
    int DirtyScopesCleared,
    bool IsPastDue,
    string? Error);

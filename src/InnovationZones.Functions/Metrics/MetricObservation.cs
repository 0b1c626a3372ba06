using System.Text.Json.Serialization;
using InnovationZones.Facts;

namespace InnovationZones.Metrics;

[JsonConverter(typeof(JsonStringEnumConverter<PeriodKind>))]
public enum PeriodKind
{
    /// <summary>A flow over the period, such as a year's revenue.</summary>
    [JsonStringEnumMemberName("year")] Year,

    /// <summary>A stock at a point in time, such as a count "currently".</summary>
    [JsonStringEnumMemberName("as-of")] AsOf,
}

/// <summary>
/// The period of an observation: <see cref="Value"/> is <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>;
/// <see cref="Note"/> says how it was derived when the source does not state it outright.
/// </summary>
public sealed record Period(string Value, PeriodKind Kind, string? Note);

/// <summary>The change against an earlier period, where the source states it ("up 19.3 percent from 2020").</summary>
public sealed record Change(decimal Value, string Unit, Qualifier Qualifier, string Basis, string? ComparedTo);

/// <summary>A comparison the source makes ("37.4 percent of Beijing's total", "second only to Silicon Valley").</summary>
public sealed record Comparison(decimal? Value, string? Unit, Qualifier? Qualifier, string Against, string Text);

/// <summary>The same figure in another unit, as the source gives it ("($34.49 billion)").</summary>
public sealed record Equivalent(decimal Value, string Unit, Qualifier Qualifier);

/// <summary>
/// One figure for one scope (a zone or a city), one indicator and one period. The figure is
/// <see cref="Value"/> in <see cref="Unit"/>, divided by <see cref="Denominator"/> when the source states a
/// fraction ("about one-third" is 1/3, qualifier about), so nothing is rounded.
/// </summary>
public sealed record MetricObservation(
    EntityRef Scope,
    string Indicator,
    string Name,
    Period Period,
    decimal Value,
    int? Denominator,
    string Unit,
    Qualifier Qualifier,
    IReadOnlyList<Equivalent>? Equivalents,
    Change? Change,
    Comparison? Comparison,
    SourceRef Source);

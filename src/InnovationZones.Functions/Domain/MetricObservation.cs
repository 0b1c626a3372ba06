using System.Text.Json.Serialization;
using InnovationZones.Contracts;
using InnovationZones.Facts;

namespace InnovationZones.Domain;

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
public sealed record Period([property: Period] string Value, PeriodKind Kind, [property: Text(Limits.LongText)] string? Note);

/// <summary>The change against an earlier period, where the source states it ("up 19.3 percent from 2020").</summary>
public sealed record Change(
    decimal Value,
    [property: Unit] string Unit,
    Qualifier Qualifier,
    [property: Text(Limits.ShortText, Required = true)] string Basis,
    [property: Period] string? ComparedTo);

/// <summary>A comparison the source makes ("37.4 percent of Beijing's total", "second only to Silicon Valley").</summary>
public sealed record Comparison(
    decimal? Value,
    [property: Unit] string? Unit,
    Qualifier? Qualifier,
    [property: Text(Limits.ShortText, Required = true)] string Against,
    [property: Text(Limits.LongText)] string Text);

/// <summary>The same figure in another unit, as the source gives it ("($34.49 billion)").</summary>
public sealed record Equivalent(decimal Value, [property: Unit] string Unit, Qualifier Qualifier);

/// <summary>
/// One figure for one scope (a zone or a city), one indicator and one period. The figure is
/// <see cref="Value"/> in <see cref="Unit"/>, divided by <see cref="Denominator"/> when the source states a
/// fraction ("about one-third" is 1/3, qualifier about), so nothing is rounded.
/// </summary>
public sealed record MetricObservation(
    EntityRef Scope,
    [property: Id] string Indicator,
    [property: Text(Limits.ShortText, Required = true)] string Name,
    Period Period,
    decimal Value,
    [property: Positive] int? Denominator,
    [property: Unit] string Unit,
    Qualifier Qualifier,
    [property: Items(10)] IReadOnlyList<Equivalent>? Equivalents,
    Change? Change,
    Comparison? Comparison,
    SourceRef Source);

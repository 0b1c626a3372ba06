using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Tests.Aggregates;

/// <summary>Qualifiers through sums, differences and ratios, for every pair; decimals stay exact.</summary>
[Trait("Category", Tier.Unit)]
public sealed class QualifiedArithmeticTests
{
    private const Qualifier E = Qualifier.Exact, M = Qualifier.MoreThan, L = Qualifier.LessThan, A = Qualifier.About;

    public static TheoryData<Qualifier, Qualifier, Qualifier?> SumPairs => new()
    {
        { E, E, E }, { E, M, M }, { E, L, L }, { E, A, A },
        { M, M, M }, { M, L, null }, { M, A, null },
        { L, L, L }, { L, A, null },
        { A, A, A },
    };

    [Theory]
    [MemberData(nameof(SumPairs))]
    public void ASumKeepsOnlyTheQualifierThatProvablyHolds_InEitherOrder(Qualifier a, Qualifier b, Qualifier? expected)
    {
        Assert.Equal(expected, QualifiedArithmetic.Sum(a, b));
        Assert.Equal(expected, QualifiedArithmetic.Sum(b, a));
    }

    public static TheoryData<Qualifier, Qualifier, Qualifier?> DifferencePairs => new()
    {
        { E, E, E }, { M, E, M }, { E, M, L }, { L, E, L }, { E, L, M },
        { M, L, M }, { L, M, L }, { M, M, null }, { L, L, null },
        { A, E, A }, { E, A, A }, { A, A, A }, { A, M, null }, { M, A, null },
    };

    [Theory]
    [MemberData(nameof(DifferencePairs))]
    public void ADifferenceSubtractsTheOppositeBound(Qualifier a, Qualifier b, Qualifier? expected) =>
        Assert.Equal(expected, QualifiedArithmetic.Difference(a, b));

    [Fact]
    public void ASumIncludingAMoreThanValueIsMoreThan() =>
        Assert.Equal(M, QualifiedArithmetic.Sum([E, M, E, M]));

    [Fact]
    public void ASumOfNothingHasNoQualifier() => Assert.Null(QualifiedArithmetic.Sum([]));

    [Fact]
    public void ARatioDividesByTheOppositeBound()
    {
        Assert.Equal(M, QualifiedArithmetic.Ratio(M, E));
        Assert.Equal(L, QualifiedArithmetic.Ratio(E, M));
        Assert.Equal(M, QualifiedArithmetic.Ratio(E, L));
        Assert.Null(QualifiedArithmetic.Ratio(M, M));
    }

    [Fact]
    public void DivisionIsDecimalAndAnInexactQuotientIsAbout()
    {
        Assert.Equal((2.3717m, (Qualifier?)A), QualifiedArithmetic.Divide(239.30m, E, 100.9m, E, 4));
        Assert.Equal((0.5m, (Qualifier?)E), QualifiedArithmetic.Divide(1m, E, 2m, E, 6));
        Assert.Equal((0.333333m, (Qualifier?)A), QualifiedArithmetic.Divide(1m, E, 3m, E, 6));
        Assert.Equal((0.333333m, (Qualifier?)null), QualifiedArithmetic.Divide(1m, M, 3m, E, 6));
    }

    [Fact]
    public void AreaTotalsSayHowManyZonesTheyCover()
    {
        var source = new SourceRef("doc");
        var total = ScopeStatsCalculator.AreaTotalOf([new(100.9m, "km2", E, source), new(170.6m, "km2", E, source)], 4);
        Assert.Equal(new AreaTotal(271.5m, "km2", E, 2, 4, "271.5 km² over 2 of 4 zones"), total);

        var more = ScopeStatsCalculator.AreaTotalOf([new(10m, "km2", M, source), new(2.25m, "km2", E, source)], 2);
        Assert.Equal("more than 12.25 km² over 2 of 2 zones", more.Text);
        Assert.Equal(M, more.Qualifier);

        var none = ScopeStatsCalculator.AreaTotalOf([new(10m, "km2", M, source), new(2m, "km2", L, source)], 3);
        Assert.Null(none.Value);
        Assert.Null(none.Qualifier);
        Assert.Equal(2, none.ZonesCovered);

        Assert.Equal("area unknown for all 3 zones", ScopeStatsCalculator.AreaTotalOf([], 3).Text);
    }

    [Fact]
    public void AChangeIsComputedBetweenTwoKnownPeriodsOfOneUnit()
    {
        var source = new SourceRef("doc");
        MetricObservation Observation(string period, decimal value, Qualifier q, string unit = "billion-cny") =>
            new(new EntityRef(EntityKind.Zone, "z"), "rd", "R&D", new Period(period, PeriodKind.Year, null), value, null, unit, q, null, null, null, source);

        var change = ScopeStatsCalculator.ChangeBetween(Observation("2021", 239.30m, E), Observation("2020", 198.75m, E))!;
        Assert.Equal(40.55m, change.Value);
        Assert.Equal(E, change.Qualifier);
        Assert.Equal(20.40m, change.Percent);
        Assert.Equal(A, change.PercentQualifier);
        Assert.Equal("2020", change.ComparedTo);

        var bounded = ScopeStatsCalculator.ChangeBetween(Observation("2021", 3.5m, M), Observation("2020", 3m, E))!;
        Assert.Equal(M, bounded.Qualifier);
        Assert.Null(bounded.Percent);

        Assert.Null(ScopeStatsCalculator.ChangeBetween(Observation("2021", 3.5m, M), Observation("2020", 3m, M)));
        Assert.Null(ScopeStatsCalculator.ChangeBetween(Observation("2021", 3.5m, E), Observation("2020", 3m, E, "billion-usd")));
    }

    /// <summary>A figure may be as large as decimal holds (the schema's ±7.9e28); what goes beyond is not computed, and nothing throws.</summary>
    [Fact]
    public void FiguresAtDecimalsBoundsGiveNoResultRatherThanAnError()
    {
        var source = new SourceRef("doc");
        MetricObservation Observation(string period, decimal value) =>
            new(new EntityRef(EntityKind.Zone, "z"), "rd", "R&D", new Period(period, PeriodKind.Year, null), value, null, "count", E, null, null, null, source);

        var area = ScopeStatsCalculator.AreaTotalOf([new(decimal.MaxValue, "km2", E, source), new(decimal.MaxValue, "km2", E, source)], 2);
        Assert.Null(area.Value);
        Assert.Null(area.Qualifier);
        Assert.StartsWith("no total", area.Text, StringComparison.Ordinal);

        Assert.Null(ScopeStatsCalculator.ChangeBetween(Observation("2021", decimal.MaxValue), Observation("2020", decimal.MinValue)));
        var noPercent = ScopeStatsCalculator.ChangeBetween(Observation("2021", decimal.MaxValue), Observation("2020", decimal.MaxValue - 1))!;
        Assert.Equal(1m, noPercent.Value);
        Assert.Equal(0.00m, noPercent.Percent);
        var huge = ScopeStatsCalculator.ChangeBetween(Observation("2021", decimal.MaxValue / 2), Observation("2020", 1m))!;
        Assert.Null(huge.Percent);
        Assert.Null(huge.PercentQualifier);

        Assert.Equal((0m, null), QualifiedArithmetic.Divide(decimal.MaxValue, E, 0.5m, E, 2));
        Assert.Empty(ScopeStatsCalculator.Ratios(new Quantity(0.0001m, "km2", E, source),
            [new IndicatorStats("rd", "R&D", new ObservedValue("2021", PeriodKind.Year, decimal.MaxValue, null, "count", E), null, null, null)]));
    }
}

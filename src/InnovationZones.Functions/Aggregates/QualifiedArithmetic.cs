using InnovationZones.Facts;

namespace InnovationZones.Aggregates;

/// <summary>
/// How qualifiers carry through arithmetic, read as intervals: <c>exact</c> is the value itself,
/// <c>more-than</c> a lower bound, <c>less-than</c> an upper bound, <c>about</c> close to the value.
/// A result keeps only what is provably true of it; when nothing is (a lower bound plus an upper bound
/// says nothing about the sum), the result is null and the figure is not given.
/// </summary>
/// <remarks>
/// Sum, for every pair (symmetric):
/// exact + q = q; more-than + more-than = more-than; less-than + less-than = less-than;
/// about + about = about; more-than + less-than, about + more-than and about + less-than = none
/// (an approximate value can be under its figure, so "more than" no longer holds, and a bound can be far
/// from its figure, so "about" does not hold either).
/// A difference adds the opposite of the second qualifier (subtracting a lower bound gives an upper one);
/// a ratio of positive figures likewise divides by the opposite bound.
/// </remarks>
public static class QualifiedArithmetic
{
    public static Qualifier? Sum(Qualifier a, Qualifier b) => (a, b) switch
    {
        (Qualifier.Exact, _) => b,
        (_, Qualifier.Exact) => a,
        _ when a == b => a,
        _ => null,
    };

    /// <summary>The qualifier of a sum of many figures; null when no qualifier holds (or there is no figure).</summary>
    public static Qualifier? Sum(IEnumerable<Qualifier> qualifiers)
    {
        Qualifier? total = null;
        var first = true;
        foreach (var q in qualifiers)
        {
            if (first)
            {
                total = q;
                first = false;
            }
            else if (total is { } t)
            {
                total = Sum(t, q);
            }
        }

        return total;
    }

    /// <summary>The qualifier of <c>a - b</c>: subtracting a lower bound leaves an upper bound, and so on.</summary>
    public static Qualifier? Difference(Qualifier a, Qualifier b) => Sum(a, Opposite(b));

    /// <summary>The qualifier of <c>a / b</c> for positive figures: dividing by a lower bound gives an upper bound.</summary>
    public static Qualifier? Ratio(Qualifier a, Qualifier b) => Sum(a, Opposite(b));

    public static Qualifier Opposite(Qualifier q) => q switch
    {
        Qualifier.MoreThan => Qualifier.LessThan,
        Qualifier.LessThan => Qualifier.MoreThan,
        _ => q,
    };

    /// <summary>
    /// <c>a / b</c> rounded to <paramref name="decimals"/> places, in decimal throughout (never double).
    /// A quotient that rounding changed is no longer exact: its qualifier gains "about". A quotient beyond
    /// decimal's range (±7.9e28, which a figure may reach) has no qualifier: it is not computed.
    /// </summary>
    public static (decimal Value, Qualifier? Qualifier) Divide(decimal a, Qualifier qa, decimal b, Qualifier qb, int decimals)
    {
        if (!TryCompute(() => a / b, out var quotient))
        {
            return (0, null);
        }

        var rounded = decimal.Round(quotient, decimals, MidpointRounding.ToEven);
        var qualifier = Ratio(qa, qb);
        if (rounded != quotient && qualifier is { } q)
        {
            qualifier = Sum(q, Qualifier.About);
        }

        return (rounded, qualifier);
    }

    /// <summary>Runs decimal arithmetic that may leave decimal's range; false when it does.</summary>
    public static bool TryCompute(Func<decimal> compute, out decimal result)
    {
        try
        {
            result = compute();
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace InnovationZones.Contracts;

/// <summary>The period of a figure, as routes, query filters and data give it: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a real date.</summary>
public static partial class Periods
{
    private const string Body = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";

    /// <summary>The rule as an ECMA-262 pattern, as the OpenAPI document states it.</summary>
    public const string Pattern = "^" + Body + "$";

    public static bool IsValid(string value) => PeriodPattern().IsMatch(value) && value.Length switch
    {
        4 => true,
        7 => DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
    };

    [GeneratedRegex("^" + Body + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();
}

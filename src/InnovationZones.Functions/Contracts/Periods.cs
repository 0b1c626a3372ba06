using System.Text.RegularExpressions;

namespace InnovationZones.Contracts;

/// <summary>The period of a figure, as routes, query filters and data give it: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a real date.</summary>
public static partial class Periods
{
    private const string Year = "[0-9]{4}";

    /// <summary>A year a date can have (0001 to 9999).</summary>
    private const string DateYear = "(?!0000)[0-9]{4}";

    private const string Month = "(0[1-9]|1[0-2])";

    /// <summary>A day of a month: 01 to 28 in any, 29 and 30 in all but February, 31 in the long months.</summary>
    private const string MonthDay = "(" + Month + "-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)";

    /// <summary>A leap year of the Gregorian calendar: divisible by 4, and not by 100 unless by 400.</summary>
    private const string LeapYear = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)";

    /// <summary>The rule as an ECMA-262 pattern, as the OpenAPI document states it and the API checks it: a real calendar date to the precision given.</summary>
    public const string Pattern = "^(" + Year + "|" + DateYear + "-" + Month + "|" + DateYear + "-" + MonthDay + "|" + LeapYear + "-02-29)$";

    public static bool IsValid(string value) => !value.Contains('\n', StringComparison.Ordinal) && PeriodPattern().IsMatch(value);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();
}

using System.Globalization;
using System.Text.RegularExpressions;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>
/// Reads and checks a request's query string the same way for every endpoint: unknown parameters,
/// repeated or empty ones and bad values are collected and answered with one 400 problem.
/// </summary>
public sealed partial class RequestQuery
{
    public const string MaxPageSize = "maxpagesize";
    public const string ContinuationToken = "continuationToken";

    /// <summary>The Functions host's function-key parameter: it reaches the function with the rest of the query.</summary>
    public const string FunctionKey = "code";

    private readonly IQueryCollection query;
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    private RequestQuery(IQueryCollection query) => this.query = query;

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    /// <summary>The page size a list request asked for (<c>maxpagesize</c>), checked with its other parameters.</summary>
    public int PageSize { get; private set; } = ApiOptions.DefaultPageSize;

    /// <summary>Starts reading a request that takes only <paramref name="allowed"/>; any other parameter is a 400.</summary>
    public static RequestQuery For(HttpRequest request, params string[] allowed)
    {
        var unknown = request.Query.Keys
            .Where(key => !allowed.Contains(key, StringComparer.OrdinalIgnoreCase) && !string.Equals(key, FunctionKey, StringComparison.Ordinal))
            .ToDictionary(
                key => key,
                key => new[]
                {
                    allowed.Length == 0
                        ? "This endpoint takes no query parameters."
                        : $"Unknown parameter. This endpoint takes: {string.Join(", ", allowed)}.",
                },
                StringComparer.Ordinal);
        if (unknown.Count > 0)
        {
            throw Problems.UnknownQueryParameters(unknown);
        }

        return new RequestQuery(request.Query);
    }

    /// <summary>Starts reading a list request: its filters plus <c>maxpagesize</c> and <c>continuationToken</c>.</summary>
    public static RequestQuery ForList(HttpRequest request, params string[] filters)
    {
        var query = For(request, [.. filters, MaxPageSize, ContinuationToken]);
        query.PageSize = query.WholeNumber(MaxPageSize, ApiOptions.DefaultPageSize, 1, ApiOptions.MaxPageSize);
        return query;
    }

    public string? Raw(string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            return Fail(name, "Give this parameter once.");
        }

        var value = values[0];
        if (string.IsNullOrEmpty(value))
        {
            return Fail(name, "The value is empty; leave the parameter out instead.");
        }

        return value;
    }

    public string? Slug(string name)
    {
        var value = Raw(name);
        return value is null || Keys.IsSlug(value) ? value : Fail(name, $"Expected an id: {Keys.SlugRule}.");
    }

    public TEnum? Enum<TEnum>(string name) where TEnum : struct, Enum
    {
        var value = Raw(name);
        if (value is null)
        {
            return null;
        }

        if (EnumNames.TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        Fail(name, $"Unknown value. Expected one of: {string.Join(", ", EnumNames.All<TEnum>())}.");
        return null;
    }

    /// <summary>A period bound: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a real date.</summary>
    public string? Period(string name)
    {
        var value = Raw(name);
        return value is null || IsPeriod(value) ? value : Fail(name, "Expected a period: YYYY, YYYY-MM or YYYY-MM-DD.");
    }

    /// <summary>Free text, such as a name prefix: printable, at most <paramref name="maxLength"/> characters.</summary>
    public string? Text(string name, int maxLength)
    {
        var value = Raw(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return Fail(name, $"At most {maxLength} characters.");
        }

        return value.Any(char.IsControl) ? Fail(name, "Control characters are not allowed.") : value;
    }

    public int WholeNumber(string name, int defaultValue, int min, int max)
    {
        var value = Raw(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            Fail(name, $"Expected a whole number from {min} to {max}.");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>Records a problem with a value found beyond syntax (an unknown city, say).</summary>
    public string? Fail(string name, string message)
    {
        errors[name] = errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];
        return null;
    }

    public void ThrowIfInvalid()
    {
        if (errors.Count > 0)
        {
            throw Problems.InvalidQueryParameters(errors);
        }
    }

    public static bool IsPeriod(string value) => PeriodPattern().IsMatch(value) && value.Length switch
    {
        4 => true,
        7 => DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
    };

    [GeneratedRegex(@"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();
}

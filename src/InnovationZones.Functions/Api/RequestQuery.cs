using System.Globalization;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>
/// Reads and checks a request's query string the same way for every endpoint: unknown parameters,
/// repeated or empty ones and bad values are collected and answered with one 400 problem.
/// </summary>
public sealed class RequestQuery
{
    public const string MaxPageSize = "maxpagesize";
    public const string ContinuationToken = "continuationToken";

    /// <summary>The Functions host's function-key parameter: it reaches the function with the rest of the query.</summary>
    public const string FunctionKey = "code";

    /// <summary>Free text (<see cref="Text"/>): no control characters (<see cref="char.IsControl(char)"/>), as an ECMA-262 pattern.</summary>
    public const string TextPattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

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
                key => new[] { UnknownParameterMessage(allowed) },
                StringComparer.Ordinal);
        if (unknown.Count > 0)
        {
            throw Problems.UnknownQueryParameters(unknown);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            // Every GET documents If-None-Match: a malformed one is a 400 before anything is read, never a guessed 304.
            _ = EntityTags.IfNoneMatch(request);
        }

        return new RequestQuery(request.Query);
    }

    /// <summary>What an unknown query parameter is told, for an endpoint that takes <paramref name="allowed"/>.</summary>
    public static string UnknownParameterMessage(IReadOnlyCollection<string> allowed) =>
        allowed.Count == 0
            ? "This endpoint takes no query parameters."
            : $"Unknown parameter. This endpoint takes: {string.Join(", ", allowed)}.";

    /// <summary>What an empty query parameter is told.</summary>
    public const string EmptyValueMessage = "The value is empty; leave the parameter out instead.";

    /// <summary>Starts reading a list request that takes no filters: <c>maxpagesize</c> and <c>continuationToken</c>, checked.</summary>
    public static RequestQuery ForList(HttpRequest request) => ForList<NoFilters>(request, out _);

    /// <summary>
    /// Starts reading a list request whose filters are <typeparamref name="TFilters"/>'s <c>[ApiQuery]</c>
    /// properties (the OpenAPI document reads the same), plus <c>maxpagesize</c> and <c>continuationToken</c>:
    /// every value is checked, and anything wrong is one 400.
    /// </summary>
    public static RequestQuery ForList<TFilters>(HttpRequest request, out TFilters filters)
        where TFilters : class
    {
        var declared = QueryFilters.Of(typeof(TFilters));
        var query = For(request, [.. declared.Select(p => p.Name), MaxPageSize, ContinuationToken]);
        query.PageSize = query.WholeNumber(MaxPageSize, ApiOptions.DefaultPageSize, 1, ApiOptions.MaxPageSize);
        query.Continuation = query.Raw(ContinuationToken);
        filters = (TFilters)QueryFilters.Create(typeof(TFilters), [.. declared.Select(query.Read)]);
        (filters as IQueryFilters)?.Check(query);
        query.ThrowIfInvalid();
        return query;
    }

    /// <summary>The caller's continuation token, as given (paging unprotects it).</summary>
    public string? Continuation { get; private set; }

    private object? Read(ApiQueryAttribute parameter) => parameter.Value switch
    {
        ApiValue.Enum => Enum(parameter.Name, parameter.Values!),
        ApiValue.Text => Text(parameter.Name, parameter.MaxLength),
        ApiValue.Period => Period(parameter.Name),
        ApiValue.Position => Position(parameter.Name),
        _ => Slug(parameter.Name),
    };

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
            return Fail(name, EmptyValueMessage);
        }

        return value;
    }

    public string? Slug(string name)
    {
        var value = Raw(name);
        return value is null || Slugs.IsSlug(value) ? value : Fail(name, $"Expected an id: {Slugs.Rule}.");
    }

    public TEnum? Enum<TEnum>(string name) where TEnum : struct, Enum => (TEnum?)Enum(name, typeof(TEnum));

    private object? Enum(string name, Type enumType)
    {
        var value = Raw(name);
        if (value is null)
        {
            return null;
        }

        return EnumNames.Parse(enumType, value)
            ?? Fail(name, $"Unknown value. Expected one of: {string.Join(", ", EnumNames.All(enumType))}.");
    }

    /// <summary>A change feed position, as the feed gave it.</summary>
    public string? Position(string name)
    {
        var value = Raw(name);
        return value is null || ChangeFeed.IsPosition(value) ? value : Fail(name, "Expected a position from the change feed: 19 digits, '-', 32 lowercase hexadecimal digits.");
    }

    /// <summary>A period bound: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a real date.</summary>
    public string? Period(string name)
    {
        var value = Raw(name);
        return value is null || Periods.IsValid(value) ? value : Fail(name, "Expected a period: YYYY, YYYY-MM or YYYY-MM-DD.");
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

    /// <summary>
    /// Records that a filter value naming data (a city, a zone, an industry) names nothing: an unknown value is
    /// a 400, not an empty list. Lists check this on their first page only, after the page read.
    /// </summary>
    public async Task RequireKnownAsync(string name, string? value, Func<string, CancellationToken, Task<bool>> existsAsync, string listedBy, CancellationToken cancellationToken)
    {
        if (value is not null && !await existsAsync(value, cancellationToken))
        {
            Fail(name, $"There is no {name} '{value}'. GET {listedBy} lists them.");
        }
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
}

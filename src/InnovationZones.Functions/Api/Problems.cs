namespace InnovationZones.Api;

/// <summary>The problems callers can meet; each code is stable and listed in docs/problems.md.</summary>
public static class Problems
{
    /// <summary>
    /// A problem's <c>type</c> is this followed by its code: a reference relative to the API's address (RFC 9457
    /// §3.1.1), where the API serves what the code means and what to do (<c>GET problems/{code}</c>).
    /// </summary>
    public const string TypePrefix = "/api/problems/";

    public static ProblemException UnknownQueryParameters(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, "UnknownQueryParameter", "Unknown query parameter",
            "The request has query parameters that this endpoint does not take.", errors);

    public static ProblemException InvalidQueryParameters(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, "InvalidQueryParameterValue", "Invalid query parameter value",
            "One or more query parameters have values that this endpoint does not accept.", errors);

    public static ProblemException InvalidContinuationToken(string detail) =>
        new(400, "InvalidContinuationToken", "Invalid continuation token",
            detail, new Dictionary<string, string[]> { ["continuationToken"] = [detail] });

    public static ProblemException InvalidId(string parameter, string detail) =>
        new(400, "InvalidId", "Invalid identifier", detail,
            new Dictionary<string, string[]> { [parameter] = [detail] });

    public static ProblemException NotFound(string resource, string id) =>
        new(404, $"{resource}NotFound", $"{resource} not found",
            $"There is no {resource.ToLowerInvariant()} with id '{id}'.");

    public static ProblemException AggregatesNotComputed(string detail) =>
        new(404, "AggregatesNotComputed", "Aggregates not computed yet", detail);

    public static ProblemException RouteNotFound(string method) =>
        new(404, "RouteNotFound", "Route not found",
            $"No endpoint answers {method} at this path. The routes are listed in the README.");

    /// <summary>405: the path is an endpoint's, the method is not one it takes; the response's <c>Allow</c> names those it does.</summary>
    public static ProblemException MethodNotAllowed(string method, IReadOnlyList<string> allowed) =>
        new(405, "MethodNotAllowed", "Method not allowed",
            $"This path does not take {method}. It takes: {string.Join(", ", allowed)} (the Allow header).",
            headers: new Dictionary<string, string> { ["Allow"] = string.Join(", ", allowed) });

    public static ProblemException NotAcceptable(string detail) =>
        new(406, "NotAcceptable", "Not acceptable", detail);

    public static ProblemException MalformedJson(string detail) =>
        new(400, "MalformedJson", "Malformed JSON", detail,
            new Dictionary<string, string[]> { ["$"] = [detail] });

    public static ProblemException InvalidBody(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, "InvalidBody", "Invalid request body",
            "The body has fields that are missing, unknown, of the wrong type, or with values this endpoint does not accept. Nothing was written.", errors);

    /// <summary>400 InvalidBody from one message per error, grouped by JSON path in the order they came.</summary>
    public static ProblemException InvalidBody(IEnumerable<(string Path, string Message)> errors) =>
        InvalidBody(errors
            .GroupBy(e => e.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal));

    public static ProblemException InvalidImport(IReadOnlyDictionary<string, string[]> errors, IReadOnlyList<object> rows) =>
        new(400, "InvalidImport", "Invalid import",
            $"The import has {rows.Count} error(s); nothing was written. 'rows' lists each with its line and field.", errors,
            new Dictionary<string, object?> { ["rows"] = rows });

    public static ProblemException InvalidPrecondition(string header, string detail) =>
        new(400, "InvalidPrecondition", "Invalid precondition header", detail,
            new Dictionary<string, string[]> { [header] = [detail] });

    public static ProblemException InvalidHeader(string header, string detail) =>
        new(400, "InvalidHeader", "Invalid header", detail,
            new Dictionary<string, string[]> { [header] = [detail] });

    public static ProblemException PreconditionFailed(string detail) =>
        new(412, "PreconditionFailed", "Precondition failed", detail);

    public static ProblemException WriteConflict() =>
        new(409, "WriteConflict", "Write conflict",
            "Other writes to this entity kept landing between this write's read and its write. Retry, or send If-Match.");

    public static ProblemException InUse(string resource, string detail, IReadOnlyList<string> referrers) =>
        new(409, $"{resource}InUse", $"{resource} in use", detail, extensions: new Dictionary<string, object?> { ["referencedBy"] = referrers });

    public static ProblemException UnsupportedMediaType(string detail) =>
        new(415, "UnsupportedMediaType", "Unsupported media type", detail);

    public static ProblemException PayloadTooLarge(long maxBytes) =>
        new(413, "PayloadTooLarge", "Payload too large",
            $"The body is over this endpoint's limit of {maxBytes} bytes.");

    public static ProblemException RateLimited(string budget, int permitsPerMinute, int retryAfterSeconds) =>
        new(429, "RateLimited", "Too many requests",
            $"This client has spent its {budget} budget of {permitsPerMinute} requests a minute. Retry after {retryAfterSeconds} second(s) (Retry-After); RateLimit-Policy and RateLimit say the budget and what is left.");

    public static ProblemException StorageUnavailable() =>
        new(503, "StorageUnavailable", "Storage unavailable",
            "The data store did not answer in time. Retry after the interval in Retry-After.");

    public static ProblemException Internal() =>
        new(500, "InternalError", "Internal error",
            "The request failed on the server. It has been logged; retrying will not help until it is fixed.");
}

namespace InnovationZones.Api;

/// <summary>The problems callers can meet; each code is stable and listed in docs/problems.md.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:innovation-zones:problem:";

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

    public static ProblemException NotAcceptable(string detail) =>
        new(406, "NotAcceptable", "Not acceptable", detail);

    public static ProblemException StorageUnavailable() =>
        new(503, "StorageUnavailable", "Storage unavailable",
            "The data store did not answer in time. Retry after the interval in Retry-After.");

    public static ProblemException Internal() =>
        new(500, "InternalError", "Internal error",
            "The request failed on the server. It has been logged; retrying will not help until it is fixed.");
}

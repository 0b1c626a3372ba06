using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Storage;

namespace InnovationZones.OpenApi;

/// <summary>
/// An example of every problem type the API answers with, made by the same factories
/// (<see cref="Problems"/>) and the same shaping (<see cref="ProblemResponses"/>) as the real responses.
/// </summary>
public static class ApiProblems
{
    private static readonly FrozenDictionary<string, ProblemException> Examples = new ProblemException[]
    {
        Problems.UnknownQueryParameters(new Dictionary<string, string[]> { ["colour"] = ["Unknown parameter. This endpoint takes: city, kind, industry, maxpagesize, continuationToken."] }),
        Problems.InvalidQueryParameters(new Dictionary<string, string[]> { ["maxpagesize"] = ["Expected a whole number from 1 to 1000."] }),
        Problems.InvalidContinuationToken("The continuation token was not issued for this query, or it was altered. Follow nextLink as given, or start again from the first page."),
        Problems.InvalidId("zoneId", $"'zoneId' must be an id: {Keys.SlugRule}."),
        Problems.NotFound("Zone", "atlantis"),
        Problems.NotFound("Organization", "atlantis-institute"),
        Problems.NotFound("City", "atlantis"),
        Problems.RouteNotFound("GET"),
        // Content negotiation: an Accept that the endpoint cannot answer (only list, metrics and stats endpoints answer text/csv).
        new(406, "NotAcceptable", "Not acceptable",
            "This endpoint answers application/json (and text/csv where the document says so); the Accept header allows neither."),
        Problems.StorageUnavailable(),
        Problems.Internal(),
    }.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Codes => Examples.Keys;

    public static ProblemException Get(string code) =>
        Examples.TryGetValue(code, out var problem)
            ? problem
            : throw new InvalidOperationException($"No example of problem '{code}': add one to {nameof(ApiProblems)}.");

    /// <summary>The problem as its response body says it, for a request to <paramref name="instance"/>.</summary>
    public static JsonNode Body(string code, string instance)
    {
        var details = ProblemResponses.ToResult(Get(code), instance).ProblemDetails;
        return JsonSerializer.SerializeToNode(details, details.GetType(), Json.Options)!;
    }
}

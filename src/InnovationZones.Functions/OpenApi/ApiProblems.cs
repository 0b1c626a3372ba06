using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Import;

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
        Problems.InvalidId("zoneId", $"'zoneId' must be an id: {Slugs.Rule}."),
        Problems.NotFound("Zone", "atlantis"),
        Problems.NotFound("Organization", "atlantis-institute"),
        Problems.NotFound("City", "atlantis"),
        Problems.NotFound("Industry", "alchemy"),
        Problems.NotFound("MetricObservation", "zone zhongguancun-science-city, rd-expenditure, 1999"),
        Problems.NotFound("Relation", "world-internet-conference initiated-by organization atlantis-institute"),
        Problems.AggregatesNotComputed("There are no aggregates for the zone 'zhongguancun-science-city': no recompute has run yet. The RecomputeAggregates timer runs it; POST /admin/functions/RecomputeAggregates on the host runs it now."),
        Problems.RouteNotFound("GET"),
        Problems.MethodNotAllowed("PUT", ["GET"]),
        Problems.NotAcceptable("This endpoint answers application/json, text/csv, and the Accept header allows none of them."),
        Problems.MalformedJson("'}' is invalid after a property name. Expected a ':'. LineNumber: 0 | BytePositionInLine: 8."),
        Problems.InvalidBody(new Dictionary<string, string[]> { ["$.cityId"] = ["There is no city 'atlantis' in the dataset or in storage."] }),
        Problems.InvalidImport(
            new Dictionary<string, string[]> { ["line 3: value"] = ["Expected a number."] },
            [new ImportRowError(3, "value", "Expected a number.")]),
        Problems.InvalidPrecondition("If-None-Match", "Writes take If-None-Match: * only (create, never replace)."),
        Problems.InvalidHeader(ChangeRequests.ReasonHeader, ChangeRequests.ReasonRule),
        Problems.PreconditionFailed("The entity has changed since the ETag in If-Match was issued. GET it again and retry with its current ETag."),
        Problems.WriteConflict(),
        Problems.InUse("Zone", "Zone 'zhongguancun-science-city' is still referred to by: metric observation rd-expenditure 2021. Delete those relations and observations first.",
            ["metric observation rd-expenditure 2021"]),
        Problems.InUse("Organization", "Organization 'world-internet-conference' has relations: organization world-internet-conference initiated-by organization gsma. Delete them first (DELETE v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}).",
            ["organization world-internet-conference initiated-by organization gsma"]),
        Problems.PayloadTooLarge(1_048_576),
        Problems.UnsupportedMediaType("This endpoint takes application/merge-patch+json, not application/json."),
        Problems.RateLimited("read", 600, 1),
        Problems.StorageUnavailable(),
        Problems.Internal(),
    }.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Codes => Examples.Keys;

    public static ProblemException Get(string code) =>
        Examples.TryGetValue(code, out var problem)
            ? problem
            : throw new InvalidOperationException($"No example of problem '{code}': add one to {nameof(ApiProblems)}.");

    /// <summary>What an operation's problems depend on: the query parameters it takes, whether it is a list, its path's id parameter.</summary>
    public sealed record Context(IReadOnlyList<string> QueryParameters, bool List, string? IdParameter);

    /// <summary>
    /// The problem as its response body says it, for a request to <paramref name="instance"/>; with a
    /// <paramref name="context"/>, as that operation answers it (the parameters it names are the operation's own).
    /// </summary>
    public static JsonNode Body(string code, string instance, Context? context = null)
    {
        var details = ProblemResponses.ToResult(context is null ? Get(code) : For(code, context), instance).ProblemDetails;
        return JsonSerializer.SerializeToNode(details, details.GetType(), ApiJson.Options)!;
    }

    /// <summary>The problem made by the same factory and with the same messages as the operation's own checks make it.</summary>
    private static ProblemException For(string code, Context context) => code switch
    {
        "UnknownQueryParameter" => Problems.UnknownQueryParameters(new Dictionary<string, string[]>
        {
            [context.QueryParameters.Contains("colour") ? "color" : "colour"] = [RequestQuery.UnknownParameterMessage(context.QueryParameters)],
        }),
        "InvalidQueryParameterValue" when context.List => Problems.InvalidQueryParameters(new Dictionary<string, string[]>
        {
            [RequestQuery.MaxPageSize] = [$"Expected a whole number from 1 to {ApiOptions.MaxPageSize}."],
        }),
        "InvalidQueryParameterValue" when context.QueryParameters.Count > 0 => Problems.InvalidQueryParameters(new Dictionary<string, string[]>
        {
            [context.QueryParameters[0]] = [RequestQuery.EmptyValueMessage],
        }),
        "InvalidId" when context.IdParameter is { } id => Problems.InvalidId(id, $"'{id}' must be an id: {Slugs.Rule}."),
        _ => Get(code),
    };
}

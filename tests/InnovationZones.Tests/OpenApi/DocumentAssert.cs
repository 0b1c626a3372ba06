
using System.Text.Json.Nodes;
using Json.Schema;

namespace InnovationZones.Tests.OpenApi;

/// <summary>Checks against the served OpenAPI document: JSON Schema 2020-12 validation (JsonSchema.Net) of its schemas.</summary>
public static class DocumentAssert
{
    /// <summary>
    /// GETs <paramref name="path"/> and checks its status, body (against the document's schema for the route,
    /// status and media type) and headers (those of the contract it sends are declared).
    /// </summary>
    public static async Task MatchesDocumentAsync(HttpClient client, string route, string path, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await MatchesDocumentAsync(client, route, request, status);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and checks, against the document's operation for its route and method:
    /// that a success's request body is of a media type the operation takes, the status, the body (against the
    /// schema for that status and media type, or none where the document has none) and the contract headers.
    /// </summary>
    public static async Task<HttpResponseMessage> MatchesDocumentAsync(HttpClient client, string route, HttpRequestMessage request, int status)
    {
        var document = JsonNode.Parse(await client.GetStringAsync("api/openapi.json"))!;
        var method = request.Method.Method.ToLowerInvariant();
        var what = $"{request.Method} {request.RequestUri}";
        var operation = document["paths"]![route]?[method];
        Assert.True(operation is not null, $"The document has no {method} {route}");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{what}: {(int)response.StatusCode} {body}");

        if (status < 300 && request.Content?.Headers.ContentType?.MediaType is { } sentType)
        {
            Assert.True(operation!["requestBody"]?["content"]?[sentType] is not null, $"The document does not say {method} {route} takes {sentType}");
        }

        var described = operation!["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Assert.True(described is not null, $"The document has no {status} response for {method} {route}");
        described = Resolve(document, described!);
        if (body.Length == 0)
        {
            Assert.True(described["content"] is null, $"{what} ({status}) has no body, and the document gives it one");
        }
        else
        {
            var mediaType = response.Content.Headers.ContentType!.MediaType!;
            var schema = described["content"]?[mediaType]?["schema"];
            Assert.True(schema is not null, $"The document's {status} response for {method} {route} has no {mediaType} content");

            var result = SchemaFor(document, schema!).Evaluate(JsonNode.Parse(body), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{what} ({status}, {mediaType}) does not match the document:\n" + Errors(result) + "\n" + body);
        }

        // The headers of the contract that the response sends are the ones the document declares for it.
        var declared = described["headers"]?.AsObject().Select(h => h.Key).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var sent = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).Where(ContractHeaders.Contains).ToList();
        Assert.All(sent, header => Assert.True(declared.Contains(header), $"{what} sends {header}, which the document does not declare for {status}"));
        return response;
    }

    private static readonly HashSet<string> ContractHeaders = new(["ETag", "Last-Modified", "Link", "Retry-After", "Location"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// One 2020-12 schema: the response's schema, with the document's component schemas as its
    /// <c>$defs</c> and their references pointed there.
    /// </summary>
    public static JsonSchema SchemaFor(JsonNode document, JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.FromText(root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
    }

    public static JsonNode Resolve(JsonNode document, JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(document, (n, part) => n[part]!);
        }

        return node;
    }

    private static string Errors(EvaluationResults result) => string.Join("\n",
        (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));
}

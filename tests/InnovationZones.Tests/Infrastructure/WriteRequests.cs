using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>Requests for the write endpoints, and bodies that pass validation against the Beijing dataset.</summary>
public static class WriteRequests
{
    public const string Document = "beijing-innovation-platforms-2022";

    public static HttpRequestMessage Create(
        HttpMethod method, string path, string? body = null, string? contentType = "application/json", string? ifMatch = null, bool ifNoneMatchAny = false)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatchAny)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        }

        return request;
    }

    public static HttpRequestMessage Put(string path, string body, string? ifMatch = null, bool ifNoneMatchAny = false) =>
        Create(HttpMethod.Put, path, body, "application/json", ifMatch, ifNoneMatchAny);

    public static HttpRequestMessage Patch(string path, string body, string? ifMatch = null) =>
        Create(HttpMethod.Patch, path, body, "application/merge-patch+json", ifMatch);

    public static HttpRequestMessage Delete(string path, string? ifMatch = null) =>
        Create(HttpMethod.Delete, path, ifMatch: ifMatch);

    public static string Source(string locator = "paragraph 1") =>
        $$"""{"document": "{{Document}}", "quote": null, "locator": "{{locator}}"}""";

    public static string Zone(string name = "Test Zone", string kind = "high-tech-zone", string industries = """["semiconductor"]""", string district = "Haidian") =>
        $$"""{"name": "{{name}}", "cityId": "beijing", "kind": "{{kind}}", "district": "{{district}}", "focusIndustries": {{industries}}, "area": {"value": 12.50, "unit": "km2", "qualifier": "about", "source": {{Source()}} } }""";

    public static string Organization(string name = "Test Organization", string type = "company") =>
        $$"""{"name": "{{name}}", "type": "{{type}}", "industries": ["blockchain"], "established": "2020-01-31", "headquarters": {"cityId": "beijing", "city": "Beijing", "country": "China"} }""";

    public static string Metric(string value = "12.50", string unit = "count") =>
        $$"""{"name": "Test indicator", "period": {"kind": "year"}, "value": {{value}}, "unit": "{{unit}}", "qualifier": "exact", "source": {{Source()}} }""";

    public static string Relation => $$"""{"source": {{Source("paragraph 4")}}}""";

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static string ETagOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("ETag", out var values) ? values.Single() : throw new InvalidOperationException("No ETag header.");

    /// <summary>The scopes marked in DirtyScopes, as kind|id, sorted.</summary>
    public static async Task<List<string>> DirtyScopesAsync(InnovationZones.Storage.Tables tables)
    {
        var marked = new List<string>();
        await foreach (var entity in tables.DirtyScopes.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            marked.Add(entity.PartitionKey + "|" + entity.RowKey);
        }

        marked.Sort(StringComparer.Ordinal);
        return marked;
    }

    public static async Task ClearDirtyScopesAsync(InnovationZones.Storage.Tables tables)
    {
        await foreach (var entity in tables.DirtyScopes.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await tables.DirtyScopes.DeleteEntityAsync(entity.PartitionKey, entity.RowKey);
        }
    }
}

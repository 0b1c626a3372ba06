using Microsoft.OpenApi;

namespace InnovationZones.OpenApi;

/// <summary>The app's OpenAPI document, built once from the app's own functions and types, and its JSON and YAML responses.</summary>
public sealed class ApiDescription
{
    private readonly Lazy<(OpenApiDocument Document, string Json, string Yaml, DocsResponse JsonResponse, DocsResponse YamlResponse)> built = new(() =>
    {
        var document = ApiDocument.Build(typeof(ApiDescription).Assembly);
        var json = ApiDocument.ToJson(document);
        var yaml = ApiDocument.ToYaml(document);
        return (document, json, yaml,
            DocsResponse.Text(json, "application/json; charset=utf-8"),
            DocsResponse.Text(yaml, OpenApiApi.YamlMediaType + "; charset=utf-8"));
    });

    public OpenApiDocument Document => built.Value.Document;

    public string Json => built.Value.Json;

    public string Yaml => built.Value.Yaml;

    /// <summary>The JSON with its ETag, answering If-None-Match with 304.</summary>
    public DocsResponse JsonResponse => built.Value.JsonResponse;

    public DocsResponse YamlResponse => built.Value.YamlResponse;
}

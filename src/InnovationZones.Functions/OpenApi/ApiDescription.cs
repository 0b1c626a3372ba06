using Microsoft.OpenApi;

namespace InnovationZones.OpenApi;

/// <summary>The app's OpenAPI document, built once from the app's own functions and types, and its JSON and YAML.</summary>
public sealed class ApiDescription
{
    private readonly Lazy<(OpenApiDocument Document, string Json, string Yaml)> built = new(() =>
    {
        var document = ApiDocument.Build(typeof(ApiDescription).Assembly);
        return (document, ApiDocument.ToJson(document), ApiDocument.ToYaml(document));
    });

    public OpenApiDocument Document => built.Value.Document;

    public string Json => built.Value.Json;

    public string Yaml => built.Value.Yaml;
}

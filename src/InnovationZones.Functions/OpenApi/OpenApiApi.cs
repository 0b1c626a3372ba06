using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

[assembly: InnovationZones.Api.ApiTag("Reference", "This document and the reference page built from it.")]

namespace InnovationZones.OpenApi;

/// <summary>
/// GET openapi.json                          the OpenAPI 3.1 document
/// GET openapi.yaml                          the same, as YAML
/// GET docs                                  the reference page, with try-it-out against this API
/// GET docs/{asset}                          the page's script and icon, shipped inside the app
/// </summary>
public sealed class OpenApiApi(ApiDescription description)
{
    [Function(nameof(GetOpenApiJson))]
    [ApiOperation("Reference", "The OpenAPI 3.1 document (JSON)", MediaType = MediaTypes.Json, ReadsStorage = false,
        Description = "This document: every endpoint, parameter, response, header and problem type of the API.")]
    public IResult GetOpenApiJson(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
    {
        RequestQuery.For(request);
        return TypedResults.Text(description.Json, "application/json; charset=utf-8");
    }

    [Function(nameof(GetOpenApiYaml))]
    [ApiOperation("Reference", "The OpenAPI 3.1 document (YAML)", MediaType = "application/yaml", ReadsStorage = false)]
    public IResult GetOpenApiYaml(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request)
    {
        RequestQuery.For(request);
        return TypedResults.Text(description.Yaml, "application/yaml; charset=utf-8");
    }

    [Function(nameof(GetApiReference))]
    [ApiOperation("Reference", "The API reference page", MediaType = "text/html", ReadsStorage = false,
        Description = "An interactive reference (Scalar) built from this document; its requests go to this API.")]
    public IResult GetApiReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request)
    {
        RequestQuery.For(request);
        return TypedResults.Content(ReferencePage.Html(request.PathBase + request.Path), "text/html; charset=utf-8");
    }

    [Function(nameof(GetApiReferenceAsset))]
    [ApiOperation("Reference", "A file of the reference page", MediaType = ReferencePage.Script, OtherMediaTypes = [ReferencePage.Icon], ReadsStorage = false, Problems = ["RouteNotFound"])]
    public IResult GetApiReferenceAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{asset}")] HttpRequest request,
        string asset)
    {
        RequestQuery.For(request);
        var gzip = request.Headers.AcceptEncoding.Any(e => e?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        var (content, contentType) = ReferencePage.Asset(asset, gzip) ?? throw Problems.RouteNotFound(request.Method);
        var headers = request.HttpContext.Response.Headers;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }

        return TypedResults.Bytes(content, contentType);
    }
}

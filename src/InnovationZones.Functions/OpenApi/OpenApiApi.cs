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
/// GET problems/{code}                       what a problem code means and what to do: where a problem's type points
/// </summary>
public sealed class OpenApiApi(ApiDescription description)
{
    /// <summary>YAML as browsers display it (RFC 9512 registers <c>application/yaml</c>, which browsers download instead).</summary>
    public const string YamlMediaType = "text/yaml";

    [Function(nameof(GetOpenApiJson))]
    [ApiOperation("Reference", "The OpenAPI 3.1 document (JSON)", MediaType = MediaTypes.Json, ReadsStorage = false,
        Description = "This document: every endpoint, parameter, response, header and problem type of the API.")]
    public IResult GetOpenApiJson(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
    {
        RequestQuery.For(request);
        return description.JsonResponse;
    }

    [Function(nameof(GetOpenApiYaml))]
    [ApiOperation("Reference", "The OpenAPI 3.1 document (YAML)", MediaType = YamlMediaType, ReadsStorage = false,
        Description = "The same document as YAML, served as `text/yaml` so that a browser displays it.")]
    public IResult GetOpenApiYaml(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request)
    {
        RequestQuery.For(request);
        return description.YamlResponse;
    }

    [Function(nameof(GetApiReference))]
    [ApiOperation("Reference", "The API reference page", MediaType = "text/html", ReadsStorage = false,
        Description = "An interactive reference (Scalar) built from this document; its requests go to this API.")]
    public IResult GetApiReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request)
    {
        RequestQuery.For(request);
        return DocsResponse.Text(ReferencePage.Html(request.PathBase + request.Path), "text/html; charset=utf-8");
    }

    [Function(nameof(GetApiReferenceAsset))]
    [ApiOperation("Reference", "A file of the reference page", MediaType = ReferencePage.Script, OtherMediaTypes = [ReferencePage.Icon], ReadsStorage = false, Problems = ["RouteNotFound"],
        Description = "With `v` the file's current version (as the page links it), it may be cached for a year (`immutable`); otherwise it is revalidated each time.")]
    [ApiQuery(ReferencePage.VersionParameter, "The file's version, as the reference page links it.", Value = ApiValue.Text, MaxLength = 64)]
    public IResult GetApiReferenceAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{asset}")] HttpRequest request,
        string asset)
    {
        var query = RequestQuery.For(request, ReferencePage.VersionParameter);
        var version = query.Text(ReferencePage.VersionParameter, 64);
        query.ThrowIfInvalid();
        var (content, encoding, contentType) = ReferencePage.Asset(asset, request.Headers.AcceptEncoding.ToString()) ?? throw Problems.RouteNotFound(request.Method);
        request.HttpContext.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        var versioned = version == ReferencePage.Version(asset);
        return new DocsResponse(content, contentType, ReferencePage.ETag(asset, encoding), versioned ? DocsResponse.Immutable : DocsResponse.Revalidate, encoding);
    }

    [Function(nameof(GetProblemType))]
    [ApiOperation("Reference", "What a problem code means, and what to do", MediaType = "text/html", ReadsStorage = false, Problems = ["RouteNotFound"],
        Description = "Every problem's `type` is this page's path, for its `code`: a page that says what the code means and what to do about it.")]
    public IResult GetProblemType(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "problems/{code}")] HttpRequest request,
        string code)
    {
        RequestQuery.For(request);
        var html = ProblemPages.Html(code, request.PathBase + request.Path) ?? throw Problems.RouteNotFound(request.Method);
        return DocsResponse.Text(html, "text/html; charset=utf-8");
    }
}

using InnovationZones.Api;
using InnovationZones.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

[assembly: ApiTag("Export", "The whole dataset in the import's shape, streamed: what POST v1/import takes back.")]

namespace InnovationZones.Export;

/// <summary>
/// GET v1/export                             every entity, in the shape of data/*.json (what POST v1/import
///                                           takes), written as the tables are read, page by page
/// It reads every table the import writes, once: it needs the function key, spends the export budget
/// (<see cref="RateLimitOptions.Exports"/>), and is never cached (<c>no-store</c>, no ETag: the bytes are
/// not known until the last page is sent).
/// </summary>
public sealed partial class ExportApi(DatasetExport export, ILogger<ExportApi> logger)
{
    [Function(nameof(Export))]
    [RateBudget(RateBudget.Exports)]
    [ApiOperation("Export", "Export the whole dataset", Returns = typeof(Dataset), Streamed = true,
        Description = "Every source document, industry, city, zone, organization, relation and metric observation, as one JSON document in the shape of data/*.json: what `POST v1/import` takes back. Each list in id (key) order, compact: the same data gives the same bytes. Streamed as the tables are read, so it has no `Content-Length` and no `ETag`, and is never cached (`Cache-Control: no-store`); `If-None-Match: *` answers 304. A storage failure after the first bytes aborts the connection: a body that is not complete JSON is not an export. Spends the export budget of the rate limits.")]
    public async Task<IResult> Export(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/export")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestQuery.For(request);
        ContentNegotiation.Choose(request, csv: false);
        var response = request.HttpContext.Response;
        response.Headers.CacheControl = CachePolicy.NoStore.CacheControl;
        if (EntityTags.IfNoneMatch(request) is { } tags && tags.Contains(EntityTagHeaderValue.Any))
        {
            // A representation always exists (an empty store exports empty lists), and no tag is ever sent to match.
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        await StreamAsync(request.HttpContext, cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>Writes the export to the response as the tables are read, under a 200.</summary>
    private async Task StreamAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaTypes.Json + "; charset=utf-8";
        try
        {
            var entities = await export.WriteAsync(response.BodyWriter, cancellationToken);
            LogExported(entities);
        }
        catch (Exception) when (response.HasStarted)
        {
            // Part of the body is out under a 200: cut the connection, so the caller cannot take it for the whole.
            context.Abort();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Entities} entities")]
    private partial void LogExported(long entities);
}

using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace InnovationZones.Import;

/// <summary>
/// POST v1/import                            a dataset (application/json, the shape of data/*.json) or
///                                           metric observations (text/csv); all or nothing
/// </summary>
public sealed class ImportApi(DatasetImporter importer, IOptions<ApiOptions> options)
{
    [Function(nameof(Import))]
    public async Task<IResult> Import(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/import")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestQuery.For(request);
        var mediaType = RequestBody.RequireContentType(request, RequestBody.Json, RequestBody.Csv);
        var body = await RequestBody.ReadAsync(request, options.Value.MaxImportBytes, cancellationToken);
        var rows = mediaType == RequestBody.Csv ? MetricCsv.Read(body) : ImportRows.FromJson(body);
        if (rows.Dataset is not { } dataset)
        {
            throw Invalid(rows.Errors);
        }

        try
        {
            return TypedResults.Ok(await importer.ImportAsync(dataset, cancellationToken));
        }
        catch (DatasetInvalidException e)
        {
            throw Invalid([.. e.Errors.Select(rows.Locate)]);
        }
    }

    private static ProblemException Invalid(IReadOnlyList<ImportRowError> rows) =>
        Problems.InvalidImport(
            rows.GroupBy(r => r.Line is { } line ? $"line {line}: {r.Field}" : r.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key.Length == 0 ? "$" : g.Key, g => g.Select(r => r.Error).ToArray(), StringComparer.Ordinal),
            [.. rows.OrderBy(r => r.Line ?? 0).ThenBy(r => r.Field, StringComparer.Ordinal)]);
}

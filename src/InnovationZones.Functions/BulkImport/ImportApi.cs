using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

[assembly: ApiTag("Import", "Bulk writes: a whole dataset, or metric observations as CSV, validated as a whole before anything is written.")]

namespace InnovationZones.BulkImport;

/// <summary>
/// POST v1/import                            a dataset (application/json, the shape of data/*.json) or
///                                           metric observations (text/csv); all or nothing, or with
///                                           atomic=false what is valid, rejecting the rest
/// </summary>
public sealed class ImportApi(DatasetImporter importer, ReadCache reads, IOptions<ApiOptions> options)
{
    /// <summary>How many times a partial import (atomic=false) drops failing items and validates again.</summary>
    private const int MaxRounds = 5;

    [Function(nameof(Import))]
    [ApiOperation("Import", "Import a dataset or observations", Returns = typeof(ImportReport), OrReturns = typeof(PartialImportReport), Accepts = typeof(Dataset), AcceptsCsv = true, Problems = ["InvalidImport"],
        Description = "`application/json`: a dataset in the shape of data/*.json; `text/csv`: metric observations, one a row after a header row (see docs/writes.md). Validated as a whole first; by default all or nothing (a 400 `InvalidImport` lists every error with its line and field). With `atomic=false`, what is valid is imported and the report lists what was rejected. Answers what was created, updated and left unchanged.")]
    [ApiQuery("atomic", "`false`: import what is valid and reject the rest (and what refers to it); default `true`, all or nothing.", Value = ApiValue.Boolean)]
    public async Task<IResult> Import(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/import")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var atomic = ReadAtomic(request);
        var origin = ChangeRequests.Read(request);
        var rows = await ReadRowsAsync(request, cancellationToken);
        if (rows.Dataset is not { } dataset || (atomic && rows.Errors.Count > 0))
        {
            throw Invalid(rows.Errors);
        }

        try
        {
            return atomic ? await ImportAllAsync(rows, dataset, origin, cancellationToken) : await ImportValidAsync(rows, dataset, origin, cancellationToken);
        }
        finally
        {
            // What the import wrote, even in part, is read from storage on this instance from now on.
            await reads.ForgetDataAsync();
        }
    }

    /// <summary>The <c>atomic</c> query parameter: <c>true</c> (the default) or <c>false</c>; anything else is a 400.</summary>
    private static bool ReadAtomic(HttpRequest request)
    {
        var query = RequestQuery.For(request, "atomic");
        var atomic = query.Raw("atomic") switch
        {
            null or "true" => true,
            "false" => false,
            _ => query.Fail("atomic", "Expected true or false.") is null,
        };
        query.ThrowIfInvalid();
        return atomic;
    }

    /// <summary>The body, as a dataset in JSON or metric observations in CSV, with the errors of its rows.</summary>
    private async Task<ImportRows> ReadRowsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = RequestBody.RequireContentType(request, MediaTypes.Json, MediaTypes.Csv);
        var body = await RequestBody.ReadAsync(request, options.Value.MaxImportBytes, cancellationToken);
        return mediaType == MediaTypes.Csv ? MetricCsv.Read(body) : ImportRows.FromJson(body);
    }

    private async Task<IResult> ImportAllAsync(ImportRows rows, Dataset dataset, ChangeOrigin origin, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await importer.ImportAsync(dataset, origin, cancellationToken));
        }
        catch (DatasetInvalidException e)
        {
            throw Invalid([.. e.Errors.Select(rows.Locate)]);
        }
    }

    /// <summary>
    /// atomic=false: items with errors are left out (and then whatever referred to them), the rest is
    /// imported, and the answer lists what was rejected. Errors that belong to no one item (a duplicate
    /// across the file) still refuse the whole import.
    /// </summary>
    private async Task<IResult> ImportValidAsync(ImportRows rows, Dataset dataset, ChangeOrigin origin, CancellationToken cancellationToken)
    {
        var rejected = new List<ImportRowError>(rows.Errors);
        var dropped = new HashSet<(string List, int Index)>();
        for (var round = 1; ; round++)
        {
            try
            {
                var report = await importer.ImportAsync(ImportRows.Without(dataset, dropped), origin, cancellationToken);
                return TypedResults.Ok(new PartialImportReport(report.Counts, report.Created, report.Updated, report.Unchanged, rejected));
            }
            catch (DatasetInvalidException e) when (round < MaxRounds)
            {
                // Paths index the reduced dataset: map them back to the file's items.
                var kept = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                foreach (var error in e.Errors)
                {
                    if (ImportRows.ItemOf(error.Path) is not var (list, index))
                    {
                        throw Invalid([.. rejected, .. e.Errors.Select(rows.Locate)]);
                    }

                    var original = (kept.TryGetValue(list, out var indices) ? indices : kept[list] = OriginalIndices(dataset, list, dropped))[index];
                    var prefix = $"{list}[{index}]";
                    var path = error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path;
                    rejected.Add(rows.Locate(error with { Path = $"{list}[{original}]{path[prefix.Length..]}" }));
                    dropped.Add((list, original));
                }
            }
            catch (DatasetInvalidException e)
            {
                throw Invalid([.. rejected, .. e.Errors.Select(rows.Locate)]);
            }
        }
    }

    private static List<int> OriginalIndices(Dataset dataset, string list, HashSet<(string List, int Index)> dropped)
    {
        var count = list switch
        {
            "documents" => dataset.Documents?.Count,
            "industries" => dataset.Industries?.Count,
            "cities" => dataset.Cities?.Count,
            "zones" => dataset.Zones?.Count,
            "organizations" => dataset.Organizations?.Count,
            "relations" => dataset.Relations?.Count,
            _ => dataset.Metrics?.Count,
        } ?? 0;
        return [.. Enumerable.Range(0, count).Where(i => !dropped.Contains((list, i)))];
    }

    private static ProblemException Invalid(IReadOnlyList<ImportRowError> rows) =>
        Problems.InvalidImport(
            rows.GroupBy(r => r.Line is { } line ? $"line {line}: {r.Field}" : r.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key.Length == 0 ? "$" : g.Key, g => g.Select(r => r.Error).ToArray(), StringComparer.Ordinal),
            [.. rows.OrderBy(r => r.Line ?? 0).ThenBy(r => r.Field, StringComparer.Ordinal)]);
}

/// <summary>What a partial import (atomic=false) wrote, and each error of what it left out.</summary>
public sealed record PartialImportReport(
    IReadOnlyDictionary<string, ImportCounts> Counts, int Created, int Updated, int Unchanged, IReadOnlyList<ImportRowError> Rejected);

using InnovationZones.Cities;
using InnovationZones.Contracts;
using InnovationZones.Metrics;
using InnovationZones.Organizations;
using InnovationZones.Zones;

namespace InnovationZones.Import;

/// <summary>
/// The shape of a dataset file (data/*.json) and of a JSON body to POST v1/import: each list is
/// optional, and each item is the API's own representation of that entity.
/// </summary>
public sealed record Dataset(
    IReadOnlyList<SourceDocument>? Documents = null,
    IReadOnlyList<Industry>? Industries = null,
    IReadOnlyList<City>? Cities = null,
    IReadOnlyList<Zone>? Zones = null,
    IReadOnlyList<Organization>? Organizations = null,
    IReadOnlyList<Relation>? Relations = null,
    IReadOnlyList<MetricObservation>? Metrics = null);

/// <summary>A document that facts cite: its id is what <c>source.document</c> holds.</summary>
public sealed record SourceDocument(
    [property: Id] string Id,
    [property: Text(Limits.ShortText, Required = true)] string Title,
    [property: Text(Limits.ShortText)] string? Published,
    [property: Text(Limits.LongText)] string? Note);

/// <summary>An industry that zones focus on and organizations work in; its id is the value of the <c>industry</c> filters.</summary>
public sealed record Industry([property: Id] string Id, [property: Text(Limits.ShortText, Required = true)] string Name);

/// <summary>One problem found in a dataset: where (a JSON path) and what.</summary>
public sealed record ImportError(string Path, string Message);

/// <summary>How many entities of one kind an import created, updated and left unchanged.</summary>
public sealed record ImportCounts(int Created, int Updated, int Unchanged);

/// <summary>What an import did, per kind of entity.</summary>
public sealed record ImportReport(IReadOnlyDictionary<string, ImportCounts> Counts)
{
    public int Created => Counts.Values.Sum(c => c.Created);

    public int Updated => Counts.Values.Sum(c => c.Updated);

    public int Unchanged => Counts.Values.Sum(c => c.Unchanged);
}

/// <summary>A dataset that failed validation; nothing was written.</summary>
public sealed class DatasetInvalidException(IReadOnlyList<ImportError> errors)
    : Exception($"The dataset has {errors.Count} error(s); nothing was written.")
{
    public IReadOnlyList<ImportError> Errors { get; } = errors;
}

using InnovationZones.Contracts;

namespace InnovationZones.Domain;

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

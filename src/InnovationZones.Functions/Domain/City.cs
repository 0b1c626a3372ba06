using InnovationZones.Contracts;
using InnovationZones.Facts;

namespace InnovationZones.Domain;

/// <summary>A city that zones belong to. <see cref="Sources"/> names the source of each attribute.</summary>
public sealed record City(
    [property: Id] string Id,
    [property: Text(Limits.ShortText, Required = true)] string Name,
    [property: Text(Limits.ShortText)] string? Country,
    [property: Text(Limits.LongText)] string? Description,
    [property: FieldNames, Items(50)] IReadOnlyDictionary<string, SourceRef>? Sources);

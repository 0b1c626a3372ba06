using InnovationZones.Facts;

namespace InnovationZones.Cities;

/// <summary>A city that zones belong to. <see cref="Sources"/> names the source of each attribute.</summary>
public sealed record City(
    string Id,
    string Name,
    string? Country,
    string? Description,
    IReadOnlyDictionary<string, SourceRef>? Sources);

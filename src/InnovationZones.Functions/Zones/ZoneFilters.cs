using InnovationZones.Api;
using InnovationZones.Domain;

namespace InnovationZones.Zones;

/// <summary>The filters of GET v1/zones; they combine. <see cref="ZoneIndex.Plan"/> reads them from the index.</summary>
public sealed record ZoneFilters(
    [property: ApiQuery("city", "Only zones of this city (an id from GET v1/cities; one that does not exist is a 400).", Example = "beijing")] string? City = null,
    [property: ApiQuery("kind", "Only zones of this kind.", Example = "science-city")] ZoneKind? Kind = null,
    [property: ApiQuery("industry", "Only zones that focus on this industry (an id from GET v1/industries; one that does not exist is a 400).", Example = "quantum-information")] string? Industry = null);

using InnovationZones.Api;
using InnovationZones.Domain;

namespace InnovationZones.Organizations;

/// <summary>The filters of GET v1/organizations/{orgId}/relations; <see cref="RelationRecords.Plan"/> reads them from the table.</summary>
public sealed record RelationFilters(
    [property: ApiQuery("direction", "Only relations in this direction, as the organization sees them.", Example = "outgoing")] RelationDirection? Direction = null,
    [property: ApiQuery("type", "Only relations of this type.", Example = "initiated-by")] RelationType? Type = null);

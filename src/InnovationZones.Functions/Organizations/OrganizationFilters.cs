using InnovationZones.Api;
using InnovationZones.Domain;

namespace InnovationZones.Organizations;

/// <summary>The filters of GET v1/organizations; they combine. <see cref="OrganizationIndex.Plan"/> reads them from the index.</summary>
public sealed record OrganizationFilters(
    [property: ApiQuery("type", "Only organizations of this type.", Example = "international-organization")] OrganizationType? Type = null,
    [property: ApiQuery("zone", "Only organizations located in this zone (an id from GET v1/zones; one that does not exist is a 400).", Example = "zhongguancun-science-city")] string? Zone = null,
    [property: ApiQuery("industry", "Only organizations in this industry (an id from GET v1/industries; one that does not exist is a 400).", Example = "network-security")] string? Industry = null,
    [property: ApiQuery("namePrefix", "Only organizations whose name (or short name) starts with this, ignoring case.", Value = ApiValue.Text, MaxLength = OrganizationFilters.MaxNamePrefixLength, Example = "china")] string? NamePrefix = null,
    [property: ApiQuery("city", "Only organizations of this city: headquartered there or located in one of its zones (an id from GET v1/cities; one that does not exist is a 400).", Example = "beijing")] string? City = null)
{
    public const int MaxNamePrefixLength = 100;
}

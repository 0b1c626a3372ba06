using System.Text.Json.Serialization;
using InnovationZones.Facts;

namespace InnovationZones.Organizations;

[JsonConverter(typeof(JsonStringEnumConverter<OrganizationType>))]
public enum OrganizationType
{
    [JsonStringEnumMemberName("company")] Company,
    [JsonStringEnumMemberName("research-institute")] ResearchInstitute,
    [JsonStringEnumMemberName("university")] University,
    [JsonStringEnumMemberName("international-organization")] InternationalOrganization,
    [JsonStringEnumMemberName("industry-association")] IndustryAssociation,
    [JsonStringEnumMemberName("government-agency")] GovernmentAgency,
    [JsonStringEnumMemberName("non-profit")] NonProfit,
}

/// <summary>
/// An organization. Its links to zones and to other organizations are relations
/// (<see cref="Relation"/>), so that each fact is stored once.
/// </summary>
public sealed record Organization(
    string Id,
    string Name,
    string? ShortName,
    OrganizationType? Type,
    Headquarters? Headquarters,
    DateOnly? Established,
    IReadOnlyList<string>? Industries,
    IReadOnlyDictionary<string, SourceRef>? Sources);

/// <summary>Where an organization is headquartered; <see cref="CityId"/> is set when the city is in the data.</summary>
public sealed record Headquarters(string? CityId, string? City, string? Country);

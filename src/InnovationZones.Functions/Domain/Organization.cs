using System.Text.Json.Serialization;
using InnovationZones.Contracts;
using InnovationZones.Facts;

namespace InnovationZones.Domain;

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
    [property: Id] string Id,
    [property: Text(Limits.ShortText, Required = true)] string Name,
    [property: Text(Limits.ShortText)] string? ShortName,
    OrganizationType? Type,
    Headquarters? Headquarters,
    DateOnly? Established,
    [property: Id, Items(50)] IReadOnlyList<string>? Industries,
    [property: FieldNames, Items(50)] IReadOnlyDictionary<string, SourceRef>? Sources);

/// <summary>Where an organization is headquartered; <see cref="CityId"/> is set when the city is in the data.</summary>
public sealed record Headquarters(
    [property: Id] string? CityId,
    [property: Text(Limits.ShortText)] string? City,
    [property: Text(Limits.ShortText)] string? Country);

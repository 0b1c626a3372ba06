using System.Text.Json.Serialization;
using InnovationZones.Facts;

namespace InnovationZones.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<RelationType>))]
public enum RelationType
{
    [JsonStringEnumMemberName("founded-by")] FoundedBy,
    [JsonStringEnumMemberName("initiated-by")] InitiatedBy,
    [JsonStringEnumMemberName("member-of")] MemberOf,
    [JsonStringEnumMemberName("located-in")] LocatedIn,
    [JsonStringEnumMemberName("headquartered-in")] HeadquarteredIn,
}

[JsonConverter(typeof(JsonStringEnumConverter<RelationDirection>))]
public enum RelationDirection
{
    [JsonStringEnumMemberName("outgoing")] Outgoing,
    [JsonStringEnumMemberName("incoming")] Incoming,
}

/// <summary>
/// A directed relation: <c>from</c> is <c>type</c> <c>to</c> ("world-internet-conference initiated-by gsma").
/// The source of a relation is always an organization.
/// </summary>
public sealed record Relation(EntityRef From, RelationType Type, EntityRef To, SourceRef Source);

/// <summary>A relation as one organization sees it: <see cref="Direction"/> says which end it is.</summary>
public sealed record RelationView(
    RelationDirection Direction,
    EntityRef From,
    RelationType Type,
    EntityRef To,
    SourceRef Source);

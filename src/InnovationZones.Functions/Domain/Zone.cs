using System.Text.Json.Serialization;
using InnovationZones.Contracts;
using InnovationZones.Facts;

namespace InnovationZones.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ZoneKind>))]
public enum ZoneKind
{
    [JsonStringEnumMemberName("science-city")] ScienceCity,
    [JsonStringEnumMemberName("economic-development-zone")] EconomicDevelopmentZone,
    [JsonStringEnumMemberName("high-tech-zone")] HighTechZone,
    [JsonStringEnumMemberName("free-trade-zone")] FreeTradeZone,
    [JsonStringEnumMemberName("industrial-park")] IndustrialPark,
}

/// <summary>
/// An innovation zone. Attributes the source does not give are null (unknown), never guessed;
/// <see cref="Sources"/> names the source of each scalar attribute, and nested facts carry their own.
/// </summary>
public sealed record Zone(
    [property: Id] string Id,
    [property: Text(Limits.ShortText, Required = true)] string Name,
    [property: Id] string CityId,
    ZoneKind Kind,
    [property: Text(Limits.ShortText)] string? District,
    Quantity? Area,
    [property: Id, Items(50)] IReadOnlyList<string>? FocusIndustries,
    [property: Items(100)] IReadOnlyList<Statement>? Policies,
    [property: Items(100)] IReadOnlyList<Statement>? Goals,
    [property: FieldNames, Items(50)] IReadOnlyDictionary<string, SourceRef>? Sources);

/// <summary>A policy or aim in the source's words, with the quote it comes from.</summary>
public sealed record Statement(
    [property: Id] string Id,
    [property: Text(Limits.LongText, Required = true)] string Text,
    SourceRef Source);

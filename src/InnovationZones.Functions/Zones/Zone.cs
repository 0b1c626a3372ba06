using System.Text.Json.Serialization;
using InnovationZones.Facts;

namespace InnovationZones.Zones;

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
    string Id,
    string Name,
    string CityId,
    ZoneKind Kind,
    string? District,
    Quantity? Area,
    IReadOnlyList<string>? FocusIndustries,
    IReadOnlyList<Statement>? Policies,
    IReadOnlyList<Statement>? Goals,
    IReadOnlyDictionary<string, SourceRef>? Sources);

/// <summary>A policy or aim in the source's words, with the quote it comes from.</summary>
public sealed record Statement(string Id, string Text, SourceRef Source);

using System.Text.Json.Serialization;
using InnovationZones.Contracts;

namespace InnovationZones.Facts;

/// <summary>How a figure relates to the true value, as the source words it ("over", "less than", "about").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Qualifier>))]
public enum Qualifier
{
    [JsonStringEnumMemberName("exact")] Exact,
    [JsonStringEnumMemberName("more-than")] MoreThan,
    [JsonStringEnumMemberName("less-than")] LessThan,
    [JsonStringEnumMemberName("about")] About,
}

/// <summary>Where a fact comes from: a document, and the quote or locator in it that states the fact.</summary>
[AnyOf("A source gives a quote or a locator.", "quote", "locator")]
public sealed record SourceRef(
    [property: Id] string Document,
    [property: Text(Limits.LongText)] string? Quote = null,
    [property: Text(Limits.ShortText)] string? Locator = null);

/// <summary>A figure with its unit and qualifier, kept exactly as the source states it (239.30 stays 239.30).</summary>
public sealed record Quantity(decimal Value, [property: Unit] string Unit, Qualifier Qualifier, SourceRef Source);

/// <summary>The kinds of entity that relations and metric observations point at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntityKind>))]
public enum EntityKind
{
    [JsonStringEnumMemberName("organization")] Organization,
    [JsonStringEnumMemberName("zone")] Zone,
    [JsonStringEnumMemberName("city")] City,
}

public sealed record EntityRef(EntityKind Kind, [property: Id] string Id);

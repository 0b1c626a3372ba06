using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Storage;

namespace InnovationZones.Zones;

/// <summary>The filters of GET v1/zones; they combine.</summary>
public sealed record ZoneFilters(
    [property: ApiQuery("city", "Only zones of this city (an id from GET v1/cities; one that does not exist is a 400).", Example = "beijing")] string? City = null,
    [property: ApiQuery("kind", "Only zones of this kind.", Example = "science-city")] ZoneKind? Kind = null,
    [property: ApiQuery("industry", "Only zones that focus on this industry (an id from GET v1/industries; one that does not exist is a 400).", Example = "quantum-information")] string? Industry = null);

/// <summary>
/// The zone index (table ZoneIndex): a copy of each zone under <c>city|{cityId}</c>, <c>kind|{kind}</c>
/// and <c>industry|{industry}</c>, row key = zone id, with CityId, Kind and one flag per industry so that
/// a second filter narrows the partition that the first one reads.
/// </summary>
public static class ZoneIndex
{
    public const string CityProperty = "CityId";
    public const string KindProperty = "Kind";

    public static string CityPartition(string cityId) => Keys.Join("city", cityId);

    public static string KindPartition(ZoneKind kind) => Keys.Join("kind", EnumNames.Name(kind));

    public static string IndustryPartition(string industry) => Keys.Join("industry", industry);

    public static string IndustryFlag(string industry) => Keys.FlagProperty("i", industry);

    /// <summary>
    /// The query behind a list of zones: the most selective index drives it (industry, then city, then
    /// kind), and the other filters narrow that one partition. Without filters, the main table.
    /// </summary>
    public static TableQuery Plan(ZoneFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (city, kind, industry) = filters;
        if (city is null && kind is null && industry is null)
        {
            return TableQuery.MainEntities(nameof(Tables.Zones));
        }

        var query = new TableQuery(nameof(Tables.ZoneIndex))
            .Where($"PartitionKey eq {(industry is not null ? IndustryPartition(industry) : city is not null ? CityPartition(city) : KindPartition(kind!.Value))}");
        if (industry is not null && city is not null)
        {
            query.WhereEquals(CityProperty, city);
        }

        if (kind is { } narrowKind && (industry is not null || city is not null))
        {
            query.WhereEquals(KindProperty, EnumNames.Name(narrowKind));
        }

        return query;
    }

    public static IReadOnlyList<TableEntity> Entities(Zone zone, string document)
    {
        IEnumerable<string> partitions =
        [
            CityPartition(zone.CityId),
            KindPartition(zone.Kind),
            .. (zone.FocusIndustries ?? []).Distinct().Select(IndustryPartition),
        ];
        return [.. partitions.Select(partition =>
        {
            var entity = IndexedDocuments.IndexEntity(partition, zone.Id, document);
            entity[CityProperty] = zone.CityId;
            entity[KindProperty] = EnumNames.Name(zone.Kind);
            foreach (var industry in zone.FocusIndustries ?? [])
            {
                entity[IndustryFlag(industry)] = true;
            }

            return entity;
        })];
    }
}

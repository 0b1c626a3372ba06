using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Storage;

namespace InnovationZones.Domain;

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
    /// The query behind a list of zones (the filters of GET v1/zones): the most selective index drives it
    /// (industry, then city, then kind), and the other filters narrow that one partition. Without filters, the main table.
    /// </summary>
    public static TableQuery Plan(string? city = null, ZoneKind? kind = null, string? industry = null)
    {
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

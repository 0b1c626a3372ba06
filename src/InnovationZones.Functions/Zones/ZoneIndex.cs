using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Storage;

namespace InnovationZones.Zones;

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

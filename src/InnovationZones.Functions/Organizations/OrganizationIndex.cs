using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Organizations;

/// <summary>
/// The organization index (table OrganizationIndex): a copy of each organization under
/// <c>type|{type}</c>, <c>industry|{industry}</c> and <c>zone|{zoneId}</c> (from its located-in
/// relations), row key = id; and under <c>name</c> with row key <c>{escaped lowercase name}|{id}</c> for
/// name-prefix search. Each copy carries Type, NameKey and one flag per industry and zone, so that a
/// second filter narrows the partition that the first one reads.
/// </summary>
public static class OrganizationIndex
{
    public const string NamePartition = "name";
    public const string TypeProperty = "Type";
    public const string NameKeyProperty = "NameKey";

    public static string TypePartition(OrganizationType type) => Keys.Join("type", EnumNames.Name(type));

    public static string IndustryPartition(string industry) => Keys.Join("industry", industry);

    public static string ZonePartition(string zoneId) => Keys.Join("zone", zoneId);

    public static string IndustryFlag(string industry) => Keys.FlagProperty("i", industry);

    public static string ZoneFlag(string zoneId) => Keys.FlagProperty("z", zoneId);

    public static string NameKey(string name) => Keys.EscapeText(name);

    public static IReadOnlyList<TableEntity> Entities(Organization organization, string document, IReadOnlyCollection<string> zoneIds)
    {
        var nameKey = NameKey(organization.Name);
        IEnumerable<(string Partition, string Row)> keys =
        [
            .. organization.Type is { } type ? [(TypePartition(type), organization.Id)] : Array.Empty<(string, string)>(),
            .. (organization.Industries ?? []).Distinct().Select(i => (IndustryPartition(i), organization.Id)),
            .. zoneIds.Distinct().Select(z => (ZonePartition(z), organization.Id)),
            (NamePartition, Keys.Join(nameKey, organization.Id)),
        ];
        return [.. keys.Select(key =>
        {
            var entity = IndexedDocuments.IndexEntity(key.Partition, key.Row, document);
            if (organization.Type is { } type)
            {
                entity[TypeProperty] = EnumNames.Name(type);
            }

            entity[NameKeyProperty] = nameKey;
            foreach (var industry in organization.Industries ?? [])
            {
                entity[IndustryFlag(industry)] = true;
            }

            foreach (var zoneId in zoneIds)
            {
                entity[ZoneFlag(zoneId)] = true;
            }

            return entity;
        })];
    }
}

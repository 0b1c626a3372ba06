using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Organizations;

/// <summary>The filters of GET v1/organizations; they combine.</summary>
public sealed record OrganizationFilters(
    [property: ApiQuery("type", "Only organizations of this type.", Example = "international-organization")] OrganizationType? Type = null,
    [property: ApiQuery("zone", "Only organizations located in this zone (an id from GET v1/zones; one that does not exist is a 400).", Example = "zhongguancun-science-city")] string? Zone = null,
    [property: ApiQuery("industry", "Only organizations in this industry (an id from GET v1/industries; one that does not exist is a 400).", Example = "network-security")] string? Industry = null,
    [property: ApiQuery("namePrefix", "Only organizations whose name (or short name) starts with this, ignoring case.", Value = ApiValue.Text, MaxLength = OrganizationFilters.MaxNamePrefixLength, Example = "china")] string? NamePrefix = null)
{
    public const int MaxNamePrefixLength = 100;
}

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

    /// <summary>
    /// The query behind a list of organizations: the most selective index drives it (zone, industry, type,
    /// then name), and the other filters narrow that one partition on the server. Without filters, the main table.
    /// </summary>
    public static TableQuery Plan(OrganizationFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (type, zone, industry, namePrefix) = filters;
        var nameKey = namePrefix is null ? null : NameKey(namePrefix);
        if (zone is null && industry is null && type is null && nameKey is null)
        {
            return TableQuery.MainEntities(nameof(Tables.Organizations));
        }

        var query = new TableQuery(nameof(Tables.OrganizationIndex));
        var partition = zone is not null ? ZonePartition(zone) : industry is not null ? IndustryPartition(industry) : type is { } t ? TypePartition(t) : NamePartition;
        query.Where($"PartitionKey eq {partition}");
        if (partition == NamePartition)
        {
            query.WherePrefix("RowKey", nameKey!);
        }

        if (zone is not null && industry is not null)
        {
            query.WhereFlag(IndustryFlag(industry));
        }

        if (type is { } narrowType && (zone is not null || industry is not null))
        {
            query.WhereEquals(TypeProperty, EnumNames.Name(narrowType));
        }

        if (nameKey is not null && partition != NamePartition)
        {
            query.WherePrefix(NameKeyProperty, nameKey);
        }

        return query;
    }

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

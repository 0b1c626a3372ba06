using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Storage;

namespace InnovationZones.Domain;

/// <summary>
/// The organization index (table OrganizationIndex): a copy of each organization under
/// <c>type|{type}</c>, <c>industry|{industry}</c>, <c>zone|{zoneId}</c> (from its located-in
/// relations) and <c>city|{cityId}</c> (its headquarters' city and its zones' cities), row key = id; and
/// under <c>name</c> with row key <c>{escaped lowercase name}|{id}</c> for name-prefix search. Each copy
/// carries Type, NameKey and one flag per industry, zone and city, so that a second filter narrows the
/// partition that the first one reads; a <c>city|</c> copy also says how the organization belongs to the
/// city (<see cref="MembershipProperty"/>).
/// </summary>
public static class OrganizationIndex
{
    public const string NamePartition = "name";
    public const string TypeProperty = "Type";
    public const string NameKeyProperty = "NameKey";

    /// <summary>On a <c>city|</c> copy: how the organization belongs to the city, wire names in order, comma-separated.</summary>
    public const string MembershipProperty = "Membership";

    public static string TypePartition(OrganizationType type) => Keys.Join("type", EnumNames.Name(type));

    public static string IndustryPartition(string industry) => Keys.Join("industry", industry);

    public static string ZonePartition(string zoneId) => Keys.Join("zone", zoneId);

    public static string CityPartition(string cityId) => Keys.Join("city", cityId);

    public static string IndustryFlag(string industry) => Keys.FlagProperty("i", industry);

    public static string CityFlag(string cityId) => Keys.FlagProperty("c", cityId);

    public static string ZoneFlag(string zoneId) => Keys.FlagProperty("z", zoneId);

    public static string NameKey(string name) => Keys.EscapeText(name);

    /// <summary>
    /// The query behind a list of organizations (the filters of GET v1/organizations): the most selective
    /// index drives it (zone, industry, city, type, then name), and the other filters narrow that one
    /// partition on the server. Without filters, the main table.
    /// </summary>
    public static TableQuery Plan(OrganizationType? type = null, string? zone = null, string? industry = null, string? namePrefix = null, string? city = null)
    {
        var nameKey = namePrefix is null ? null : NameKey(namePrefix);
        if (zone is null && industry is null && city is null && type is null && nameKey is null)
        {
            return TableQuery.MainEntities(nameof(Tables.Organizations));
        }

        var query = new TableQuery(nameof(Tables.OrganizationIndex));
        var partition = zone is not null ? ZonePartition(zone)
            : industry is not null ? IndustryPartition(industry)
            : city is not null ? CityPartition(city)
            : type is { } t ? TypePartition(t)
            : NamePartition;
        query.Where($"PartitionKey eq {partition}");
        if (partition == NamePartition)
        {
            query.WherePrefix("RowKey", nameKey!);
        }

        if (industry is not null && zone is not null)
        {
            query.WhereFlag(IndustryFlag(industry));
        }

        if (city is not null && (zone is not null || industry is not null))
        {
            query.WhereFlag(CityFlag(city));
        }

        if (type is { } narrowType && (zone is not null || industry is not null || city is not null))
        {
            query.WhereEquals(TypeProperty, EnumNames.Name(narrowType));
        }

        if (nameKey is not null && partition != NamePartition)
        {
            query.WherePrefix(NameKeyProperty, nameKey);
        }

        return query;
    }

    /// <summary>An organization as its city's list serves it: the copy's document and its <see cref="MembershipProperty"/>.</summary>
    public static CityOrganization CityMember(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return CityOrganization.Of(entity.ReadDocument<Organization>(), ReadMembership(entity));
    }

    public static IReadOnlyList<CityMembership> ReadMembership(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return [.. (entity.GetString(MembershipProperty) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => EnumNames.TryParse<CityMembership>(name, out var membership) ? membership : (CityMembership?)null)
            .OfType<CityMembership>()];
    }

    /// <summary>
    /// The index entities of an organization located in <paramref name="zones"/> (with their cities, see
    /// <see cref="OrganizationPlaces"/>): the same properties on every copy, and on each city copy how it belongs.
    /// </summary>
    public static IReadOnlyList<TableEntity> Entities(Organization organization, string document, IReadOnlyCollection<LocatedZone> zones)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var nameKey = NameKey(organization.Name);
        var zoneIds = zones.Select(z => z.ZoneId).Distinct(StringComparer.Ordinal).ToList();
        var cities = OrganizationPlaces.Cities(organization, zones);
        var membership = cities.ToDictionary(c => CityPartition(c.CityId), c => string.Join(',', c.Membership.Select(EnumNames.Name)), StringComparer.Ordinal);
        IEnumerable<(string Partition, string Row)> keys =
        [
            .. organization.Type is { } type ? [(TypePartition(type), organization.Id)] : Array.Empty<(string, string)>(),
            .. (organization.Industries ?? []).Distinct().Select(i => (IndustryPartition(i), organization.Id)),
            .. zoneIds.Select(z => (ZonePartition(z), organization.Id)),
            .. cities.Select(c => (CityPartition(c.CityId), organization.Id)),
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

            foreach (var (cityId, _) in cities)
            {
                entity[CityFlag(cityId)] = true;
            }

            if (membership.TryGetValue(key.Partition, out var how))
            {
                entity[MembershipProperty] = how;
            }

            return entity;
        })];
    }
}

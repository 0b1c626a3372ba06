using System.Text.Json.Serialization;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Domain;

/// <summary>How an organization belongs to a city; a list of them is always in this order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CityMembership>))]
public enum CityMembership
{
    /// <summary>Its <c>headquarters.cityId</c> is the city.</summary>
    [JsonStringEnumMemberName("headquartered")] Headquartered,

    /// <summary>It has a <c>located-in</c> relation to a zone of the city.</summary>
    [JsonStringEnumMemberName("located-in-zone")] LocatedInZone,
}

/// <summary>A zone an organization is located in (a stored located-in relation), with the zone's city: null when the zone is not stored.</summary>
public sealed record LocatedZone(string ZoneId, string? CityId);

/// <summary>
/// An organization of a city (GET v1/cities/{cityId}/organizations): the organization as GET v1/organizations
/// serves it, and <see cref="Membership"/>, how it belongs to the city.
/// </summary>
public sealed record CityOrganization(
    [property: Id] string Id,
    [property: Text(Limits.ShortText, Required = true)] string Name,
    [property: Text(Limits.ShortText)] string? ShortName,
    OrganizationType? Type,
    Headquarters? Headquarters,
    DateOnly? Established,
    [property: Id, Items(50)] IReadOnlyList<string>? Industries,
    [property: FieldNames, Items(50)] IReadOnlyDictionary<string, SourceRef>? Sources,
    IReadOnlyList<CityMembership> Membership)
{
    public static CityOrganization Of(Organization organization, IReadOnlyList<CityMembership> membership)
    {
        ArgumentNullException.ThrowIfNull(organization);
        return new(organization.Id, organization.Name, organization.ShortName, organization.Type, organization.Headquarters,
            organization.Established, organization.Industries, organization.Sources, membership);
    }
}

/// <summary>
/// The cities an organization belongs to: the city it is headquartered in, and the city of each zone it is
/// located in. The zones' cities are read from storage, so that a zone that moves to another city moves its
/// organizations with it (<see cref="LocatedOrganizationsAsync"/> names them).
/// </summary>
public static class OrganizationPlaces
{
    /// <summary>Each city the organization belongs to (in id order), with how it belongs (in <see cref="CityMembership"/> order).</summary>
    public static IReadOnlyList<(string CityId, IReadOnlyList<CityMembership> Membership)> Cities(Organization organization, IEnumerable<LocatedZone> zones)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var headquarters = organization.Headquarters?.CityId;
        var zoneCities = zones.Select(z => z.CityId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return [.. zoneCities.Append(headquarters).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(city => (city, (IReadOnlyList<CityMembership>)[
                .. city == headquarters ? [CityMembership.Headquartered] : Array.Empty<CityMembership>(),
                .. zoneCities.Contains(city) ? [CityMembership.LocatedInZone] : Array.Empty<CityMembership>()]))];
    }

    /// <summary>The zones the organization is located in (its stored located-in rows, less <paramref name="leavingZone"/>), each with its city: one point read per zone.</summary>
    public static async Task<IReadOnlyList<LocatedZone>> LocatedZonesAsync(Tables tables, string organizationId, string? leavingZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var zoneIds = (await RelationRecords.LocatedInZonesAsync(tables.Relations, organizationId, cancellationToken)).Where(z => z != leavingZone);
        return await WithCitiesAsync(tables, zoneIds, cancellationToken);
    }

    /// <summary>The zones with their cities (one point read each, together), distinct and in id order.</summary>
    public static async Task<IReadOnlyList<LocatedZone>> WithCitiesAsync(Tables tables, IEnumerable<string> zoneIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var ids = zoneIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cities = await Task.WhenAll(ids.Select(async id => (await tables.Zones.FindMainAsync(id, cancellationToken))?.ReadDocument<Zone>().CityId));
        return [.. ids.Zip(cities, (id, city) => new LocatedZone(id, city))];
    }

    /// <summary>The organizations located in a zone: the incoming located-in rows of its Relations partition (one row range, paged).</summary>
    public static async Task<IReadOnlyList<string>> LocatedOrganizationsAsync(TableClient relations, string zoneId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relations);
        var prefix = RelationRecords.RowPrefix(RelationDirection.Incoming, RelationType.LocatedIn) + EnumNames.Name(EntityKind.Organization) + Keys.Separator;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {RelationRecords.Partition(new EntityRef(EntityKind.Zone, zoneId))} and RowKey ge {prefix} and RowKey lt {Keys.PrefixUpperBound(prefix)}");
        var organizations = new List<string>();
        string? token = null;
        do
        {
            var page = await relations.QueryPageAsync(filter, TableReads.MaxPageSize, token, cancellationToken, ["RowKey"]);
            organizations.AddRange(page.Entities.Select(e => e.RowKey[prefix.Length..]));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return organizations;
    }
}

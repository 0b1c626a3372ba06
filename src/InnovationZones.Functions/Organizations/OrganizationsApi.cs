using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.OpenApi;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Organizations", "Organizations in and around the zones, and their relations to each other and to zones.")]

namespace InnovationZones.Organizations;

/// <summary>
/// GET v1/organizations                      list; filters type, zone, industry, namePrefix
/// GET v1/organizations/{orgId}              one organization
/// GET v1/organizations/{orgId}/relations    its relations, both directions; filters direction, type
/// </summary>
public sealed class OrganizationsApi(Tables tables, Paging paging)
{
    public const int MaxNamePrefixLength = 100;

    [Function(nameof(ListOrganizations))]
    [ApiOperation("Organizations", "List organizations", Returns = typeof(Organization), List = true, Csv = true,
        Description = "In id order; with `namePrefix` alone, in name order. Filters combine.")]
    [ApiQuery("type", "Only organizations of this type.", Value = ApiValue.Enum, Values = typeof(OrganizationType), Example = "international-organization")]
    [ApiQuery("zone", "Only organizations located in this zone (an id from GET v1/zones).", Example = "zhongguancun-science-city")]
    [ApiQuery("industry", "Only organizations in this industry (an id from GET v1/industries).", Example = "network-security")]
    [ApiQuery("namePrefix", "Only organizations whose name (or short name) starts with this, ignoring case.", Value = ApiValue.Text, MaxLength = MaxNamePrefixLength, Example = "china")]
    public async Task<IResult> ListOrganizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, "type", "zone", "industry", "namePrefix");
        var type = query.Enum<OrganizationType>("type");
        var zone = query.Slug("zone");
        var industry = query.Slug("industry");
        var namePrefix = query.Text("namePrefix", MaxNamePrefixLength);
        query.ThrowIfInvalid();
        var nameKey = namePrefix is null ? null : OrganizationIndex.NameKey(namePrefix);

        // The most selective index drives the query (zone, industry, type, then name); the other
        // filters narrow that one partition on the server.
        var filtered = zone is not null || industry is not null || type is not null || nameKey is not null;
        var table = new TableQuery(filtered ? tables.OrganizationIndex : tables.Organizations);
        if (zone is not null)
        {
            table.Where($"PartitionKey eq {OrganizationIndex.ZonePartition(zone)}");
        }
        else if (industry is not null)
        {
            table.Where($"PartitionKey eq {OrganizationIndex.IndustryPartition(industry)}");
        }
        else if (type is { } drivingType)
        {
            table.Where($"PartitionKey eq {OrganizationIndex.TypePartition(drivingType)}");
        }
        else if (nameKey is not null)
        {
            table.Where($"PartitionKey eq {OrganizationIndex.NamePartition}").WherePrefix("RowKey", nameKey);
        }
        else
        {
            table.Where($"RowKey eq {Keys.MainRowKey}");
        }

        if (zone is not null && industry is not null)
        {
            table.WhereFlag(OrganizationIndex.IndustryFlag(industry));
        }

        if (type is { } narrowType && (zone is not null || industry is not null))
        {
            table.WhereEquals(OrganizationIndex.TypeProperty, EnumNames.Name(narrowType));
        }

        if (nameKey is not null && (zone is not null || industry is not null || type is not null))
        {
            table.WherePrefix(OrganizationIndex.NameKeyProperty, nameKey);
        }

        return await table.ReadPageAsync(
            request, paging, query, e => e.ReadDocument<Organization>(), cancellationToken,
            () => Filters.RequireKnownAsync(query, tables, zone: zone, industry: industry, cancellationToken: cancellationToken));
    }

    [Function(nameof(GetOrganization))]
    [ApiOperation("Organizations", "Get an organization", Returns = typeof(Organization), NotFound = "Organization")]
    [ApiPath("orgId", "The organization's id.", Example = "world-internet-conference")]
    public Task<IResult> GetOrganization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<Organization>(request, tables.Organizations, "Organization", nameof(orgId), orgId, cancellationToken);

    [Function(nameof(ListOrganizationRelations))]
    [ApiOperation("Organizations", "List an organization's relations", Returns = typeof(RelationView), List = true, Csv = true, NotFound = "Organization",
        Description = "Relations in both directions: `direction` says which end the organization is.")]
    [ApiPath("orgId", "The organization's id.", Example = "world-internet-conference")]
    [ApiQuery("direction", "Only relations in this direction, as the organization sees them.", Value = ApiValue.Enum, Values = typeof(RelationDirection), Example = "outgoing")]
    [ApiQuery("type", "Only relations of this type.", Value = ApiValue.Enum, Values = typeof(RelationType), Example = "initiated-by")]
    public async Task<IResult> ListOrganizationRelations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}/relations")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, "direction", "type");
        var direction = query.Enum<RelationDirection>("direction");
        var type = query.Enum<RelationType>("type");
        query.ThrowIfInvalid();
        Responses.RequireId(nameof(orgId), orgId);

        var table = new TableQuery(tables.Relations)
            .Where($"PartitionKey eq {RelationRecords.Partition(new EntityRef(EntityKind.Organization, orgId))}");
        if (direction is { } d)
        {
            table.WherePrefix("RowKey", RelationRecords.RowPrefix(d, type));
        }
        else if (type is { } t)
        {
            var outgoing = RelationRecords.RowPrefix(RelationDirection.Outgoing, t);
            var incoming = RelationRecords.RowPrefix(RelationDirection.Incoming, t);
            table.Where($"((RowKey ge {incoming} and RowKey lt {Keys.PrefixUpperBound(incoming)}) or (RowKey ge {outgoing} and RowKey lt {Keys.PrefixUpperBound(outgoing)}))");
        }

        return await table.ReadPageAsync(
            request, paging, query, RelationRecords.View, cancellationToken,
            () => Responses.FindMainAsync(tables.Organizations, "Organization", nameof(orgId), orgId, cancellationToken));
    }
}

using InnovationZones.Api;
using InnovationZones.Facts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

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
    public Task<IResult> GetOrganization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<Organization>(request, tables.Organizations, "Organization", nameof(orgId), orgId, cancellationToken);

    [Function(nameof(ListOrganizationRelations))]
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

using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Organizations", "Organizations in and around the zones, and their relations to each other and to zones.")]

namespace InnovationZones.Organizations;

/// <summary>
/// GET v1/organizations                      list; filters type, zone, industry, namePrefix, city
/// GET v1/organizations/{orgId}              one organization
/// GET v1/organizations/{orgId}/relations    its relations, both directions; filters direction, type
/// </summary>
public sealed class OrganizationsApi(Tables tables, ReadCache reads, Paging paging)
{
    [Function(nameof(ListOrganizations))]
    [ApiOperation("Organizations", "List organizations", Returns = typeof(Organization), List = true, Csv = true, Filters = typeof(OrganizationFilters),
        Description = "In id order; with `namePrefix` alone, in name order. Filters combine.")]
    public async Task<IResult> ListOrganizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, out OrganizationFilters filters);
        var plan = OrganizationIndex.Plan(filters.Type, filters.Zone, filters.Industry, filters.NamePrefix, filters.City);
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<Organization>(),
            () => RequireKnownAsync(query, filters, CachePolicy.RequiresFresh(request), cancellationToken), cancellationToken);
    }

    [Function(nameof(GetOrganization))]
    [ApiOperation("Organizations", "Get an organization", Returns = typeof(Organization), NotFound = "Organization")]
    public Task<IResult> GetOrganization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<Organization>(request, "Organization", orgId,
            () => reads.FindMainAsync(tables.Organizations, Responses.RequireId(nameof(orgId), orgId), CachePolicy.RequiresFresh(request), cancellationToken));

    [Function(nameof(ListOrganizationRelations))]
    [ApiOperation("Organizations", "List an organization's relations", Returns = typeof(RelationView), List = true, Csv = true, NotFound = "Organization", Filters = typeof(RelationFilters),
        Description = "Relations in both directions: `direction` says which end the organization is.")]
    public async Task<IResult> ListOrganizationRelations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}/relations")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, out RelationFilters filters);
        var plan = RelationRecords.Plan(Responses.RequireId(nameof(orgId), orgId), filters.Direction, filters.Type);
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, RelationRecords.View,
            () => Responses.RequireFoundAsync("Organization", orgId, () => reads.FindMainAsync(tables.Organizations, orgId, CachePolicy.RequiresFresh(request), cancellationToken)), cancellationToken);
    }

    /// <summary>Filter values that name data must name something that exists: one point read each (through the read cache), on the first page only.</summary>
    private async Task RequireKnownAsync(RequestQuery query, OrganizationFilters filters, bool fresh, CancellationToken cancellationToken)
    {
        await query.RequireKnownAsync("zone", filters.Zone, (id, ct) => reads.MainExistsAsync(tables.Zones, id, fresh, ct), "v1/zones", cancellationToken);
        await query.RequireKnownAsync("industry", filters.Industry, (id, ct) => reads.ExistsAsync(tables.Vocabulary, Tables.IndustryPartition, id, fresh, ct), "v1/industries", cancellationToken);
        await query.RequireKnownAsync("city", filters.City, (id, ct) => reads.MainExistsAsync(tables.Cities, id, fresh, ct), "v1/cities", cancellationToken);
        query.ThrowIfInvalid();
    }
}

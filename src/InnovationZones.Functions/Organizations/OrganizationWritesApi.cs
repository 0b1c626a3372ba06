using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Organizations;

/// <summary>
/// PUT    v1/organizations/{orgId}                                 create or replace an organization
/// PATCH  v1/organizations/{orgId}                                 change some of its fields (merge patch)
/// DELETE v1/organizations/{orgId}                                 delete it (409 while it has relations)
/// GET    v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}  one relation, with its ETag
/// PUT    v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}  create or replace a relation
/// PATCH  v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}  change its source (merge patch)
/// DELETE v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}  delete it
/// </summary>
public sealed class OrganizationWritesApi(CuratedWrites writes, OrganizationResource organizations, RelationResource relations)
{
    private const string RelationRoute = "v1/organizations/{orgId}/relations/{type}/{toKind}/{toId}";

    [Function(nameof(PutOrganization))]
    public Task<IResult> PutOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(PatchOrganization))]
    public Task<IResult> PatchOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(DeleteOrganization))]
    public Task<IResult> DeleteOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(GetOrganizationRelation))]
    public Task<IResult> GetOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        CuratedWrites.GetAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(PutOrganizationRelation))]
    public Task<IResult> PutOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(PatchOrganizationRelation))]
    public Task<IResult> PatchOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(DeleteOrganizationRelation))]
    public Task<IResult> DeleteOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);
}

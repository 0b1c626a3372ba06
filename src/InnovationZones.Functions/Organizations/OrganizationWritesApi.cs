using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Writes;
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
    [ApiOperation("Organizations", "Create or replace an organization", Returns = typeof(Organization), Accepts = typeof(OrganizationBody), Creates = true, Conditional = true, Problems = ["MalformedJson", "InvalidBody"],
        Description = "The body is every field a curator sets (the id is the route's); it is validated as an import would validate it. 201 when it creates, 200 when it replaces; the new ETag either way.")]
    public Task<IResult> PutOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(PatchOrganization))]
    [ApiOperation("Organizations", "Change some of an organization's fields", Returns = typeof(Organization), Accepts = typeof(OrganizationBody), MergePatch = true, Conditional = true, NotFound = "Organization", Problems = ["MalformedJson", "InvalidBody"],
        Description = "A JSON merge patch of the organization's body; the result is validated as a whole.")]
    public Task<IResult> PatchOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(DeleteOrganization))]
    [ApiOperation("Organizations", "Delete an organization", SuccessStatus = 204, Conditional = true, NotFound = "Organization", Problems = ["OrganizationInUse"],
        Description = "A 409 `OrganizationInUse` while it has relations: delete those first.")]
    public Task<IResult> DeleteOrganization(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(GetOrganizationRelation))]
    [ApiOperation("Organizations", "Get one relation", Returns = typeof(Relation), NotFound = "Relation", Problems = ["OrganizationNotFound"],
        Description = "One relation as stored at the organization's end, with its ETag: what a conditional write starts from.")]
    public Task<IResult> GetOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.GetAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(PutOrganizationRelation))]
    [ApiOperation("Organizations", "Create or replace a relation", Returns = typeof(Relation), Accepts = typeof(RelationBody), Creates = true, Conditional = true, NotFound = "Organization", Problems = ["MalformedJson", "InvalidBody"],
        Description = "The route names the relation; the body is its source. What it leads to must exist and differ from its start, and be of a kind its type points at: `located-in` and `headquartered-in` a zone or a city, the others an organization; otherwise a 400 `InvalidBody`. 201 when it creates, 200 when it replaces.")]
    public Task<IResult> PutOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(PatchOrganizationRelation))]
    [ApiOperation("Organizations", "Change a relation's source", Returns = typeof(Relation), Accepts = typeof(RelationBody), MergePatch = true, Conditional = true, NotFound = "Relation", Problems = ["OrganizationNotFound", "MalformedJson", "InvalidBody"],
        Description = "A JSON merge patch of the relation's body.")]
    public Task<IResult> PatchOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(DeleteOrganizationRelation))]
    [ApiOperation("Organizations", "Delete a relation", SuccessStatus = 204, Conditional = true, NotFound = "Relation", Problems = ["OrganizationNotFound"])]
    public Task<IResult> DeleteOrganizationRelation(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = RelationRoute)] HttpRequest request,
        string orgId,
        string type,
        string toKind,
        string toId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);

    [Function(nameof(ListOrganizationHistory))]
    [ApiOperation("Changes", "List an organization's changes", Returns = typeof(EntityChange), List = true, Csv = true, NotFound = "Organization",
        Description = "Newest first, paged like every list: each change with what the entity was before and after, when, under which trace id and change set, by whom and why. A deleted entity's history stays readable.")]
    public Task<IResult> ListOrganizationHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/organizations/{orgId}/history")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        writes.HistoryAsync(request, organizations, orgId, cancellationToken);

    [Function(nameof(ListRelationHistory))]
    [ApiOperation("Changes", "List a relation's changes", Returns = typeof(EntityChange), List = true, Csv = true, NotFound = "Relation",
        Description = "Newest first, paged like every list: each change with what the entity was before and after, when, under which trace id and change set, by whom and why. A deleted entity's history stays readable.")]
    public Task<IResult> ListRelationHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RelationRoute + "/history")] HttpRequest request,
        string orgId, string type, string toKind, string toId,
        CancellationToken cancellationToken) =>
        writes.HistoryAsync(request, relations, new RelationKey(orgId, type, toKind, toId), cancellationToken);
}

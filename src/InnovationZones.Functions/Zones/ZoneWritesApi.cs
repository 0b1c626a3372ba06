using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Writes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Zones;

/// <summary>
/// PUT    v1/zones/{zoneId}                  create or replace a zone (application/json)
/// PATCH  v1/zones/{zoneId}                  change some of its fields (application/merge-patch+json)
/// DELETE v1/zones/{zoneId}                  delete it (409 while relations or observations refer to it)
/// </summary>
public sealed class ZoneWritesApi(CuratedWrites writes, ZoneResource zones)
{
    [Function(nameof(PutZone))]
    [ApiOperation("Zones", "Create or replace a zone", Returns = typeof(Zone), Accepts = typeof(ZoneBody), Creates = true, Conditional = true, Problems = ["MalformedJson", "InvalidBody"],
        Description = "The body is every field a curator sets (the id is the route's); it is validated as an import would validate it, references looked up in storage. 201 when it creates, 200 when it replaces; the new ETag either way.")]
    public Task<IResult> PutZone(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, zones, zoneId, cancellationToken);

    [Function(nameof(PatchZone))]
    [ApiOperation("Zones", "Change some of a zone's fields", Returns = typeof(Zone), Accepts = typeof(ZoneBody), MergePatch = true, Conditional = true, NotFound = "Zone", Problems = ["MalformedJson", "InvalidBody"],
        Description = "A JSON merge patch of the zone's body; the result is validated as a whole. Answers the zone as changed, with its new ETag.")]
    public Task<IResult> PatchZone(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, zones, zoneId, cancellationToken);

    [Function(nameof(DeleteZone))]
    [ApiOperation("Zones", "Delete a zone", SuccessStatus = 204, Conditional = true, NotFound = "Zone", Problems = ["ZoneInUse"],
        Description = "A 409 `ZoneInUse` while relations or observations refer to it: delete those first.")]
    public Task<IResult> DeleteZone(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, zones, zoneId, cancellationToken);

    [Function(nameof(ListZoneHistory))]
    [ApiOperation("Changes", "List a zone's changes", Returns = typeof(EntityChange), List = true, Csv = true, NotFound = "Zone",
        Description = "Newest first, paged like every list: each change with what the entity was before and after, when, under which trace id and change set, by whom and why. A deleted entity's history stays readable.")]
    public Task<IResult> ListZoneHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/zones/{zoneId}/history")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.HistoryAsync(request, zones, zoneId, cancellationToken);
}

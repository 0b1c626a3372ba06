using InnovationZones.Api;
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
    public Task<IResult> PutZone(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.PutAsync(request, zones, zoneId, cancellationToken);

    [Function(nameof(PatchZone))]
    public Task<IResult> PatchZone(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.PatchAsync(request, zones, zoneId, cancellationToken);

    [Function(nameof(DeleteZone))]
    public Task<IResult> DeleteZone(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        writes.DeleteAsync(request, zones, zoneId, cancellationToken);
}

using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Organizations;
using InnovationZones.Storage;
using InnovationZones.Writes;

namespace InnovationZones.Zones;

/// <summary>What a curator sends to PUT a zone: every field but the id, which is the route's.</summary>
[RulesOf(typeof(Zone))]
public sealed record ZoneBody(
    string Name,
    string CityId,
    ZoneKind Kind,
    string? District = null,
    Quantity? Area = null,
    IReadOnlyList<string>? FocusIndustries = null,
    IReadOnlyList<Statement>? Policies = null,
    IReadOnlyList<Statement>? Goals = null,
    IReadOnlyDictionary<string, SourceRef>? Sources = null);

/// <summary>
/// Zones as curators write them: the main entity in Zones, its copies in ZoneIndex. A zone that moves to
/// another city moves the organizations located in it: each is reindexed after the zone is written.
/// </summary>
public sealed class ZoneResource(Tables tables, OrganizationResource organizations) : MainEntityResource<Zone, ZoneBody>(tables.Zones, tables.ZoneIndex, "zoneId")
{
    /// <summary>How many referring entities a 409 names.</summary>
    public const int MaxNamed = 20;

    public override string Name => "Zone";

    public override string EntityType => "zone";

    public override Zone Compose(string key, ZoneBody body) =>
        new(key, body.Name, body.CityId, body.Kind, body.District, body.Area, body.FocusIndustries, body.Policies, body.Goals, body.Sources);

    public override ZoneBody Decompose(Zone entity) =>
        new(entity.Name, entity.CityId, entity.Kind, entity.District, entity.Area, entity.FocusIndustries, entity.Policies, entity.Goals, entity.Sources);

    public override Dataset AsDataset(Zone entity) => new(Zones: [entity]);

    public override async Task<ETag> WriteAsync(TableEntity? existing, Zone entity, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var document = ApiJson.Serialize(entity);
        var etag = (await WriteIndexedAsync(existing, entity.Id, document, ZoneIndex.Entities(entity, document), journal, cancellationToken)).ETag;
        if (existing?.ReadDocument<Zone>().CityId is { } before && before != entity.CityId)
        {
            // Its organizations' city entries follow, each rewritten whatever it had; a crash half-way leaves
            // some on the old city until the full run's reconcile, which computes them from the zones as they are.
            foreach (var organizationId in await OrganizationPlaces.LocatedOrganizationsAsync(tables.Relations, entity.Id, cancellationToken))
            {
                await organizations.ReindexAsync(organizationId, null, cancellationToken, rewrite: true);
            }
        }

        return etag;
    }

    /// <summary>A zone that relations point at (organizations located or headquartered in it) or that has metric observations stays.</summary>
    public override async Task RequireUnreferencedAsync(Zone entity, CancellationToken cancellationToken)
    {
        var scope = new EntityRef(EntityKind.Zone, entity.Id);
        var (relations, moreRelations) = await RelationRecords.FirstAsync(tables.Relations, scope, MaxNamed, cancellationToken);
        var metrics = await tables.Metrics.QueryPageAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {MetricRecords.Partition(scope)} and RowKey lt {ChangeLog.LiveRowsEnd}"), MaxNamed, null, cancellationToken, ["RowKey"]);
        var referrers = relations.Select(r => $"organization {r.From.Id} {EnumNames.Name(r.Type)} this zone")
            .Concat(metrics.Entities.Select(m => $"metric observation {m.RowKey.Replace(Keys.Separator, ' ')}"))
            .ToList();
        if (referrers.Count > 0)
        {
            throw Problems.InUse(Name,
                $"Zone '{entity.Id}' is still referred to by: {string.Join("; ", referrers)}{(moreRelations || metrics.ContinuationToken is not null ? "; and more" : "")}. Delete those relations and observations first.",
                referrers);
        }
    }

    public override Task NotifyAsync(IAggregateChanges changes, Zone? before, Zone? after, CancellationToken cancellationToken) =>
        changes.ZoneChangedAsync(before, after, cancellationToken);
}

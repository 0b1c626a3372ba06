using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Aggregates;

/// <summary>
/// Writes through the storage layer the way the app's writes do (main entity and index, both ends of a
/// relation), each followed by its <see cref="IAggregateChanges"/> notification with the state before.
/// </summary>
public sealed class StorageWrites(Tables tables, IAggregateChanges changes)
{
    public async Task PutZoneAsync(Zone zone)
    {
        var before = await ReadAsync<Zone>(tables.Zones, zone.Id);
        var document = ApiJson.Serialize(zone);
        await IndexedDocuments.WriteAsync(tables.Zones, tables.ZoneIndex, zone.Id, document, ZoneIndex.Entities(zone, document), CancellationToken.None);

        // A zone that moves to another city moves the organizations located in it.
        if (before is not null && before.CityId != zone.CityId)
        {
            foreach (var organization in await OrganizationPlaces.LocatedOrganizationsAsync(tables.Relations, zone.Id, CancellationToken.None))
            {
                if (await ReadAsync<Organization>(tables.Organizations, organization) is { } stored)
                {
                    await WriteOrganizationAsync(stored, rewrite: true);
                }
            }
        }

        await changes.ZoneChangedAsync(before, zone, CancellationToken.None);
    }

    public async Task PutOrganizationAsync(Organization organization)
    {
        var before = await ReadAsync<Organization>(tables.Organizations, organization.Id);
        await WriteOrganizationAsync(organization);
        await changes.OrganizationChangedAsync(before, organization, CancellationToken.None);
    }

    public async Task DeleteOrganizationAsync(string id)
    {
        if (await tables.Organizations.FindAsync(id, Keys.MainRowKey(id), CancellationToken.None) is not { } stored)
        {
            return;
        }

        var partition = RelationRecords.Partition(new EntityRef(EntityKind.Organization, id));
        var relations = new List<Relation>();
        await foreach (var row in tables.Relations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {ChangeLog.LiveRowsEnd}")))
        {
            relations.Add(row.ReadDocument<Relation>());
        }

        foreach (var relation in relations)
        {
            await DeleteRelationAsync(relation, reindex: false);
        }

        foreach (var key in IndexedDocuments.ReadIndexKeys(stored))
        {
            await tables.OrganizationIndex.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All);
        }

        await tables.Organizations.DeleteEntityAsync(id, Keys.MainRowKey(id), ETag.All);
        await changes.OrganizationChangedAsync(stored.ReadDocument<Organization>(), null, CancellationToken.None);
    }

    public async Task PutRelationAsync(Relation relation)
    {
        var (outgoing, incoming) = RelationRecords.Entities(relation);
        var before = await tables.Relations.FindAsync(outgoing.PartitionKey, outgoing.RowKey, CancellationToken.None);
        await tables.Relations.UpsertEntityAsync(outgoing, TableUpdateMode.Replace);
        await tables.Relations.UpsertEntityAsync(incoming, TableUpdateMode.Replace);
        await ReindexAsync(relation);
        await changes.RelationChangedAsync(before?.ReadDocument<Relation>(), relation, CancellationToken.None);
    }

    public Task DeleteRelationAsync(Relation relation) => DeleteRelationAsync(relation, reindex: true);

    private async Task DeleteRelationAsync(Relation relation, bool reindex)
    {
        var (outgoing, incoming) = RelationRecords.Entities(relation);
        await tables.Relations.DeleteEntityAsync(outgoing.PartitionKey, outgoing.RowKey, ETag.All);
        await tables.Relations.DeleteEntityAsync(incoming.PartitionKey, incoming.RowKey, ETag.All);
        if (reindex)
        {
            await ReindexAsync(relation);
        }

        await changes.RelationChangedAsync(relation, null, CancellationToken.None);
    }

    public async Task PutMetricAsync(MetricObservation observation)
    {
        var entity = MetricRecords.Entity(observation);
        var before = await tables.Metrics.FindAsync(entity.PartitionKey, entity.RowKey, CancellationToken.None);
        await tables.Metrics.UpsertEntityAsync(entity, TableUpdateMode.Replace);
        await changes.MetricChangedAsync(before?.ReadDocument<MetricObservation>(), observation, CancellationToken.None);
    }

    /// <summary>A located-in relation moves the organization's index entities: its zones are part of them.</summary>
    private async Task ReindexAsync(Relation relation)
    {
        if (relation.Type == RelationType.LocatedIn && await ReadAsync<Organization>(tables.Organizations, relation.From.Id) is { } organization)
        {
            await WriteOrganizationAsync(organization);
        }
    }

    private async Task WriteOrganizationAsync(Organization organization, bool rewrite = false)
    {
        var zones = await OrganizationPlaces.LocatedZonesAsync(tables, organization.Id, null, CancellationToken.None);
        var document = ApiJson.Serialize(organization);
        var existing = await tables.Organizations.FindAsync(organization.Id, Keys.MainRowKey(organization.Id), CancellationToken.None);
        await IndexedDocuments.WriteAsync(tables.Organizations, tables.OrganizationIndex, existing, organization.Id, document,
            OrganizationIndex.Entities(organization, document, zones), null, CancellationToken.None, rewrite);
    }

    private static async Task<T?> ReadAsync<T>(TableClient table, string id) where T : class =>
        (await table.FindAsync(id, Keys.MainRowKey(id), CancellationToken.None))?.ReadDocument<T>();
}

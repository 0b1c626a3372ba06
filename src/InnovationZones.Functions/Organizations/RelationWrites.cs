using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;
using InnovationZones.Writes;

namespace InnovationZones.Organizations;

/// <summary>A relation's address: the organization it starts from, its type, and what it points at (route values, unchecked).</summary>
public sealed record RelationKey(string OrgId, string Type, string ToKind, string ToId)
{
    public EntityRef From => new(EntityKind.Organization, OrgId);

    public RelationType RelationType => EnumNames.TryParse<RelationType>(Type, out var type) ? type : default;

    public EntityRef To => new(EnumNames.TryParse<EntityKind>(ToKind, out var kind) ? kind : default, ToId);
}

/// <summary>What a curator sends to PUT a relation: its source; the rest is the route.</summary>
public sealed record RelationBody(SourceRef Source);

/// <summary>
/// Relations as curators write them: the row at the organization's end is the main one (its ETag is the
/// relation's), the row at the other end is its index; a located-in relation to a zone also files the
/// organization under that zone in OrganizationIndex.
/// </summary>
public sealed class RelationResource(Tables tables, OrganizationResource organizations) : CuratedResource<RelationKey, Relation, RelationBody>
{
    public override string Name => "Relation";

    public override async Task RequireKeyAsync(RelationKey key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        await Responses.RequireFoundAsync("Organization", key.OrgId, () => tables.Organizations.FindMainAsync(key.OrgId, cancellationToken));
    }

    public override void CheckKey(RelationKey key)
    {
        Responses.RequireId("orgId", key.OrgId);
        RequireName<RelationType>("type", key.Type);
        RequireName<EntityKind>("toKind", key.ToKind);
        Responses.RequireId("toId", key.ToId);
    }

    private static void RequireName<T>(string parameter, string value) where T : struct, Enum
    {
        if (!EnumNames.TryParse<T>(value, out _))
        {
            throw Problems.InvalidId(parameter, $"'{parameter}' must be one of: {string.Join(", ", EnumNames.All<T>())}.");
        }
    }

    public override string Describe(RelationKey key) => $"{key.OrgId} {key.Type} {key.ToKind} {key.ToId}";

    public override (TableClient Table, string PartitionKey, string RowKey) Locate(RelationKey key) =>
        (tables.Relations, RelationRecords.Partition(key.From), RelationRecords.OutgoingRow(key.RelationType, key.To));

    public override Relation Compose(RelationKey key, RelationBody body) => new(key.From, key.RelationType, key.To, body.Source);

    public override RelationBody Decompose(Relation entity) => new(entity.Source);

    public override Dataset AsDataset(Relation entity) => new(Relations: [entity]);

    public override string RequestPath(string datasetPath) => base.RequestPath(datasetPath) switch
    {
        "$.from.id" => "orgId",
        "$.to.id" or "$.to" => "toId",
        "$.to.kind" => "toKind",
        var path => path,
    };

    public override async Task<ETag> WriteAsync(TableEntity? existing, Relation entity, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var (outgoing, incoming) = RelationRecords.Entities(entity);
        var etag = await journal.For("relation").PutDocumentAsync(tables.Relations, RelationRecords.HistoryId(entity), existing, outgoing, cancellationToken);
        await tables.Relations.UpsertEntityAsync(incoming, TableUpdateMode.Replace, cancellationToken);
        if (IndexesOrganization(entity))
        {
            await organizations.ReindexAsync(entity.From.Id, null, cancellationToken);
        }

        return etag;
    }

    public override Task RequireUnreferencedAsync(Relation entity, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Claims the main row, removes what derives from it (the organization's zone index entry, the far end's row), then the main row.</summary>
    public override async Task DeleteAsync(TableEntity existing, Relation entity, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var claimed = await ConditionalWrites.ReplaceAsync(tables.Relations, existing.ETag, existing, cancellationToken);
        if (IndexesOrganization(entity))
        {
            await organizations.ReindexAsync(entity.From.Id, entity.To.Id, cancellationToken);
        }

        await tables.Relations.DeleteEntityAsync(RelationRecords.Partition(entity.To), RelationRecords.IncomingRow(entity), ETag.All, cancellationToken);
        await journal.For("relation").DeleteAsync(tables.Relations, RelationRecords.HistoryId(entity), existing, claimed, cancellationToken);
    }

    public override Task NotifyAsync(IAggregateChanges changes, Relation? before, Relation? after, CancellationToken cancellationToken) =>
        changes.RelationChangedAsync(before, after, cancellationToken);

    private static bool IndexesOrganization(Relation relation) =>
        relation.Type == RelationType.LocatedIn && relation.To.Kind == EntityKind.Zone;
}

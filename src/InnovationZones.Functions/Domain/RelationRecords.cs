using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Domain;

/// <summary>
/// Relations (table Relations) are stored once per end: under the partition of the entity they start
/// from (<c>organization|{id}</c>, row <c>out|{type}|{kind}|{id}</c>) and of the one they point at
/// (<c>{kind}|{id}</c>, row <c>in|{type}|organization|{id}</c>), so either end reads all of its relations
/// from one partition.
/// </summary>
public static class RelationRecords
{
    public const string Outgoing = "out";
    public const string Incoming = "in";

    public static string Partition(EntityRef entity) => Keys.Join(EnumNames.Name(entity.Kind), entity.Id);

    public static string OutgoingRow(Relation relation) => OutgoingRow(relation.Type, relation.To);

    public static string OutgoingRow(RelationType type, EntityRef to) =>
        Keys.Join(Outgoing, EnumNames.Name(type), EnumNames.Name(to.Kind), to.Id);

    public static string IncomingRow(Relation relation) =>
        Keys.Join(Incoming, EnumNames.Name(relation.Type), EnumNames.Name(relation.From.Kind), relation.From.Id);

    /// <summary>The row-key prefix of one direction, and optionally one type, within an entity's partition.</summary>
    public static string RowPrefix(RelationDirection direction, RelationType? type) =>
        (direction == RelationDirection.Outgoing ? Outgoing : Incoming) + Keys.Separator
        + (type is { } t ? EnumNames.Name(t) + Keys.Separator : "");

    /// <summary>An organization's relations (the filters of GET v1/organizations/{orgId}/relations): its partition, narrowed to one direction's row range, or to one type's in both.</summary>
    public static TableQuery Plan(string orgId, RelationDirection? direction = null, RelationType? type = null)
    {
        var query = new TableQuery(nameof(Tables.Relations)).Where($"PartitionKey eq {Partition(new EntityRef(EntityKind.Organization, orgId))}");
        if (direction is not null)
        {
            query.WherePrefix("RowKey", RowPrefix(direction.Value, type));
        }
        else if (type is not null)
        {
            var outgoing = RowPrefix(RelationDirection.Outgoing, type);
            var incoming = RowPrefix(RelationDirection.Incoming, type);
            query.Where($"((RowKey ge {incoming} and RowKey lt {Keys.PrefixUpperBound(incoming)}) or (RowKey ge {outgoing} and RowKey lt {Keys.PrefixUpperBound(outgoing)}))");
        }
        else
        {
            // The whole partition: its live rows, not their history (ChangeLog).
            query.Where($"RowKey lt {ChangeLog.LiveRowsEnd}");
        }

        return query;
    }

    /// <summary>A relation's id in its history and in the change feed: <c>{orgId}/{type}/{toKind}/{toId}</c>, its route.</summary>
    public static string HistoryId(Relation relation) =>
        string.Join('/', relation.From.Id, EnumNames.Name(relation.Type), EnumNames.Name(relation.To.Kind), relation.To.Id);

    public static (TableEntity Outgoing, TableEntity Incoming) Entities(Relation relation)
    {
        var document = ApiJson.Serialize(relation);
        return (
            IndexedDocuments.IndexEntity(Partition(relation.From), OutgoingRow(relation), document),
            IndexedDocuments.IndexEntity(Partition(relation.To), IncomingRow(relation), document));
    }

    /// <summary>The zones an organization is located in, from its stored located-in relations (one row range).</summary>
    public static async Task<IReadOnlyList<string>> LocatedInZonesAsync(TableClient relations, string organizationId, CancellationToken cancellationToken)
    {
        var zoneIds = new List<string>();
        var prefix = RowPrefix(RelationDirection.Outgoing, RelationType.LocatedIn) + EnumNames.Name(EntityKind.Zone) + Keys.Separator;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(new EntityRef(EntityKind.Organization, organizationId))} and RowKey ge {prefix} and RowKey lt {Keys.PrefixUpperBound(prefix)}");
        string? token = null;
        do
        {
            var page = await relations.QueryPageAsync(filter, TableReads.MaxPageSize, token, cancellationToken, ["RowKey"]);
            zoneIds.AddRange(page.Entities.Select(e => e.RowKey[prefix.Length..]));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return zoneIds;
    }

    /// <summary>The first <paramref name="max"/> relations of an entity (both directions, one page), and whether there are more.</summary>
    public static async Task<(IReadOnlyList<RelationView> Relations, bool More)> FirstAsync(
        TableClient relations, EntityRef entity, int max, CancellationToken cancellationToken)
    {
        var page = await relations.QueryPageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(entity)} and RowKey lt {ChangeLog.LiveRowsEnd}"), max, null, cancellationToken);
        return ([.. page.Entities.Select(View)], page.ContinuationToken is not null);
    }

    public static RelationView View(TableEntity entity)
    {
        var relation = entity.ReadDocument<Relation>();
        var direction = entity.RowKey.StartsWith(Outgoing + Keys.Separator, StringComparison.Ordinal)
            ? RelationDirection.Outgoing
            : RelationDirection.Incoming;
        return new RelationView(direction, relation.From, relation.Type, relation.To, relation.Source);
    }
}

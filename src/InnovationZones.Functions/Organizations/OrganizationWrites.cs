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

/// <summary>What a curator sends to PUT an organization: every field but the id, which is the route's.</summary>
[RulesOf(typeof(Organization))]
public sealed record OrganizationBody(
    string Name,
    string? ShortName = null,
    OrganizationType? Type = null,
    Headquarters? Headquarters = null,
    DateOnly? Established = null,
    IReadOnlyList<string>? Industries = null,
    IReadOnlyDictionary<string, SourceRef>? Sources = null);

/// <summary>
/// Organizations as curators write them: the main entity in Organizations, its copies in
/// OrganizationIndex, including one under each zone its stored located-in relations name and one under
/// each city it belongs to (its headquarters' city and those zones' cities).
/// </summary>
public sealed class OrganizationResource(Tables tables)
    : MainEntityResource<Organization, OrganizationBody>(tables.Organizations, tables.OrganizationIndex, "orgId")
{
    public const int MaxNamed = 20;

    public override string Name => "Organization";

    public override string EntityType => "organization";

    public override Organization Compose(string key, OrganizationBody body) =>
        new(key, body.Name, body.ShortName, body.Type, body.Headquarters, body.Established, body.Industries, body.Sources);

    public override OrganizationBody Decompose(Organization entity) =>
        new(entity.Name, entity.ShortName, entity.Type, entity.Headquarters, entity.Established, entity.Industries, entity.Sources);

    public override Dataset AsDataset(Organization entity) => new(Organizations: [entity]);

    public override async Task<ETag> WriteAsync(TableEntity? existing, Organization entity, ChangeJournal journal, CancellationToken cancellationToken) =>
        (await WriteAsync(existing, entity, null, journal, cancellationToken)).ETag;

    /// <summary>
    /// Writes the organization with its index entities; <paramref name="leavingZone"/> is a located-in relation
    /// being deleted. <paramref name="rewrite"/>: write them even if the document and keys are as stored (a zone
    /// it is located in moved to another city, which changes how it belongs to a city, not its keys).
    /// </summary>
    public async Task<(WriteOutcome Outcome, ETag ETag)> WriteAsync(
        TableEntity? existing, Organization entity, string? leavingZone, ChangeJournal? journal, CancellationToken cancellationToken, bool rewrite = false)
    {
        var document = ApiJson.Serialize(entity);
        var zones = await OrganizationPlaces.LocatedZonesAsync(tables, entity.Id, leavingZone, cancellationToken);
        return await WriteIndexedAsync(existing, entity.Id, document, OrganizationIndex.Entities(entity, document, zones), journal, cancellationToken, rewrite);
    }

    /// <summary>Rewrites the stored organization's index entities after its located-in relations, or the city of a zone it is in, changed.</summary>
    public Task ReindexAsync(string id, string? leavingZone, CancellationToken cancellationToken, bool rewrite = false) =>
        ConditionalWrites.RetryAsync(async _ =>
        {
            if (await FindAsync(id, cancellationToken) is { } stored)
            {
                // The same document under other index keys: not a change of the organization's.
                await WriteAsync(stored, stored.ReadDocument<Organization>(), leavingZone, null, cancellationToken, rewrite);
            }

            return true;
        });

    /// <summary>An organization with relations, in either direction, stays: its relations are facts in their own right.</summary>
    public override async Task RequireUnreferencedAsync(Organization entity, CancellationToken cancellationToken)
    {
        var (relations, more) = await RelationRecords.FirstAsync(tables.Relations, new EntityRef(EntityKind.Organization, entity.Id), MaxNamed, cancellationToken);
        var referrers = relations
            .Select(r => $"{EnumNames.Name(r.From.Kind)} {r.From.Id} {EnumNames.Name(r.Type)} {EnumNames.Name(r.To.Kind)} {r.To.Id}")
            .ToList();
        if (referrers.Count > 0)
        {
            throw Problems.InUse(Name,
                $"Organization '{entity.Id}' has relations: {string.Join("; ", referrers)}{(more ? "; and more" : "")}. Delete them first (DELETE v1/organizations/{{orgId}}/relations/{{type}}/{{toKind}}/{{toId}}).",
                referrers);
        }
    }

    public override Task NotifyAsync(IAggregateChanges changes, Organization? before, Organization? after, CancellationToken cancellationToken) =>
        changes.OrganizationChangedAsync(before, after, cancellationToken);
}

using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

[JsonConverter(typeof(JsonStringEnumConverter<ScopeKind>))]
public enum ScopeKind
{
    [JsonStringEnumMemberName("city")] City,
    [JsonStringEnumMemberName("zone")] Zone,
    [JsonStringEnumMemberName("industry")] Industry,
    [JsonStringEnumMemberName("organization-type")] OrganizationType,
    [JsonStringEnumMemberName("organization")] Organization,
}

/// <summary>One aggregate scope: a city, a zone, an industry, an organization type or an organization.</summary>
public readonly record struct AggregateScope(ScopeKind Kind, string Id)
{
    public override string ToString() => Keys.Join(EnumNames.Name(Kind), Id);
}

/// <summary>A scope marked dirty, with the ETag of its mark: a run clears the mark only if nothing re-marked it since.</summary>
public sealed record DirtyMark(AggregateScope Scope, Azure.ETag ETag, DateTimeOffset? MarkedAt);

/// <summary>
/// Records which scopes a write touched, in the DirtyScopes table (PartitionKey = scope kind, RowKey =
/// scope id). A change marks the scopes of the entity both before and after the write, so that moving a
/// zone to another city marks both cities, and moving an organization's headquarters marks both. Scopes that
/// depend on stored relations (the zones an organization is located in, and their cities) are widened by
/// the recompute, which reads the relations.
/// A run reads the marks first and, once their scopes are written, deletes each one on its ETag: a write
/// that re-marked a scope during the run moved its ETag, so its mark stays for the next run.
/// </summary>
public sealed class DirtyScopes(Tables tables, TimeProvider time) : IAggregateChanges
{
    public const string MarkedAtProperty = "MarkedAt";

    public Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken) =>
        MarkAsync(Touched.City(before, after), cancellationToken);

    public Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken) =>
        MarkAsync(Touched.Zone(before, after), cancellationToken);

    public Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken) =>
        MarkAsync(Touched.Organization(before, after), cancellationToken);

    public Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken) =>
        MarkAsync(Touched.Relation(before, after), cancellationToken);

    public Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) =>
        MarkAsync(Touched.Metric(before, after), cancellationToken);

    /// <summary>Holds the scopes of many changes and marks them together, in transactions of up to 100 per scope kind.</summary>
    public IDeferredChanges Defer() => new DeferredMarks(this);

    public static IEnumerable<AggregateScope> ScopesOf(Zone zone) =>
        [new(ScopeKind.Zone, zone.Id), new(ScopeKind.City, zone.CityId),
         .. (zone.FocusIndustries ?? []).Select(i => new AggregateScope(ScopeKind.Industry, i))];

    public static IEnumerable<AggregateScope> ScopesOf(Organization organization) =>
        [new(ScopeKind.Organization, organization.Id),
         .. organization.Type is { } type ? [new AggregateScope(ScopeKind.OrganizationType, EnumNames.Name(type))] : Array.Empty<AggregateScope>(),
         .. (organization.Industries ?? []).Select(i => new AggregateScope(ScopeKind.Industry, i)),
         .. organization.Headquarters?.CityId is { } city ? [new AggregateScope(ScopeKind.City, city)] : Array.Empty<AggregateScope>()];

    private static AggregateScope Of(EntityRef entity) => entity.Kind switch
    {
        EntityKind.City => new(ScopeKind.City, entity.Id),
        EntityKind.Zone => new(ScopeKind.Zone, entity.Id),
        _ => new(ScopeKind.Organization, entity.Id),
    };

    /// <summary>The scopes a change touches: those of the entity before and after it.</summary>
    private static class Touched
    {
        public static IEnumerable<AggregateScope> City(City? before, City? after) => Scopes(before, after, c => [new(ScopeKind.City, c.Id)]);

        public static IEnumerable<AggregateScope> Zone(Zone? before, Zone? after) => Scopes(before, after, ScopesOf);

        public static IEnumerable<AggregateScope> Organization(Organization? before, Organization? after) => Scopes(before, after, ScopesOf);

        public static IEnumerable<AggregateScope> Relation(Relation? before, Relation? after) => Scopes(before, after, r => [Of(r.From), Of(r.To)]);

        public static IEnumerable<AggregateScope> Metric(MetricObservation? before, MetricObservation? after) => Scopes(before, after, m => [Of(m.Scope)]);

        private static IEnumerable<AggregateScope> Scopes<T>(T? before, T? after, Func<T, IEnumerable<AggregateScope>> scopes)
            where T : class =>
            (before is null ? [] : scopes(before)).Concat(after is null ? [] : scopes(after)).Distinct();
    }

    /// <summary>The scopes of changes held until <see cref="FlushAsync"/>, which marks them all at once.</summary>
    private sealed class DeferredMarks(DirtyScopes owner) : IDeferredChanges
    {
        private ConcurrentDictionary<AggregateScope, bool> held = new();

        public Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken) => Hold(Touched.City(before, after));

        public Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken) => Hold(Touched.Zone(before, after));

        public Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken) =>
            Hold(Touched.Organization(before, after));

        public Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken) => Hold(Touched.Relation(before, after));

        public Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) => Hold(Touched.Metric(before, after));

        public Task FlushAsync(CancellationToken cancellationToken) =>
            owner.MarkAsync(Interlocked.Exchange(ref held, new()).Keys, cancellationToken);

        private Task Hold(IEnumerable<AggregateScope> scopes)
        {
            foreach (var scope in scopes)
            {
                held.TryAdd(scope, true);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Every mark, streamed page by page; rows that name no scope kind are skipped.</summary>
    public async IAsyncEnumerable<DirtyMark> ReadAsync(TableScan scan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in scan.QueryAsync(tables.DirtyScopes, null, cancellationToken, ["PartitionKey", "RowKey", MarkedAtProperty]))
        {
            if (EnumNames.TryParse<ScopeKind>(entity.PartitionKey, out var kind))
            {
                yield return new DirtyMark(new AggregateScope(kind, entity.RowKey), entity.ETag, entity.GetDateTimeOffset(MarkedAtProperty));
            }
        }
    }

    /// <summary>Deletes a mark unless it was re-marked since it was read; true when it was deleted.</summary>
    public Task<bool> ClearAsync(DirtyMark mark, CancellationToken cancellationToken) =>
        AggregateRecords.DeleteAsync(tables.DirtyScopes, EnumNames.Name(mark.Scope.Kind), mark.Scope.Id, mark.ETag, cancellationToken);

    /// <summary>Marks the scopes dirty; marking one twice only moves its time forward.</summary>
    public async Task MarkAsync(IEnumerable<AggregateScope> scopes, CancellationToken cancellationToken)
    {
        var table = tables.DirtyScopes;
        var now = time.GetUtcNow();
        foreach (var group in scopes.Distinct().GroupBy(s => EnumNames.Name(s.Kind), StringComparer.Ordinal))
        {
            var actions = group.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(group.Key, s.Id) { [MarkedAtProperty] = now }));
            await Batches.SubmitAsync(table, actions, cancellationToken);
        }
    }
}

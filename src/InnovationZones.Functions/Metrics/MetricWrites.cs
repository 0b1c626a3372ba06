using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;
using InnovationZones.Writes;

namespace InnovationZones.Metrics;

/// <summary>A metric observation's address: its scope (a zone or a city), indicator and period (route values, unchecked).</summary>
public sealed record MetricKey(EntityKind ScopeKind, string ScopeId, string Indicator, string Period)
{
    public EntityRef Scope => new(ScopeKind, ScopeId);

    public string ScopeParameter => ScopeKind == EntityKind.Zone ? "zoneId" : "cityId";
}

/// <summary>The period of a written observation: its value is the route's.</summary>
[RulesOf(typeof(Period))]
public sealed record PeriodBody(PeriodKind Kind, string? Note = null);

/// <summary>What a curator sends to PUT a metric observation: everything but scope, indicator and period value (the route's).</summary>
[RulesOf(typeof(MetricObservation))]
public sealed record MetricBody(
    string Name,
    PeriodBody Period,
    decimal Value,
    string Unit,
    Qualifier Qualifier,
    SourceRef Source,
    int? Denominator = null,
    IReadOnlyList<Equivalent>? Equivalents = null,
    Change? Change = null,
    Comparison? Comparison = null);

/// <summary>Metric observations as curators write them: one row each in Metrics, its own ETag.</summary>
public sealed class MetricResource(Tables tables) : CuratedResource<MetricKey, MetricObservation, MetricBody>
{
    public override string Name => "MetricObservation";

    public override async Task RequireKeyAsync(MetricKey key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        var (table, resource) = key.ScopeKind == EntityKind.Zone ? (tables.Zones, "Zone") : (tables.Cities, "City");
        await Responses.RequireFoundAsync(resource, key.ScopeId, () => table.FindMainAsync(key.ScopeId, cancellationToken));
    }

    public override void CheckKey(MetricKey key)
    {
        Responses.RequireId(key.ScopeParameter, key.ScopeId);
        Responses.RequireId("indicator", key.Indicator);
        if (!Periods.IsValid(key.Period))
        {
            throw Problems.InvalidId("period", "'period' must be YYYY, YYYY-MM or YYYY-MM-DD, a real date.");
        }
    }

    public override string Describe(MetricKey key) => $"{EnumNames.Name(key.ScopeKind)} {key.ScopeId}, {key.Indicator}, {key.Period}";

    public override (TableClient Table, string PartitionKey, string RowKey) Locate(MetricKey key) =>
        (tables.Metrics, MetricRecords.Partition(key.Scope), MetricRecords.Row(key.Indicator, key.Period));

    public override MetricObservation Compose(MetricKey key, MetricBody body) =>
        new(key.Scope, key.Indicator, body.Name, new Period(key.Period, body.Period.Kind, body.Period.Note), body.Value, body.Denominator,
            body.Unit, body.Qualifier, body.Equivalents, body.Change, body.Comparison, body.Source);

    public override MetricBody Decompose(MetricObservation entity) =>
        new(entity.Name, new PeriodBody(entity.Period.Kind, entity.Period.Note), entity.Value, entity.Unit, entity.Qualifier, entity.Source,
            entity.Denominator, entity.Equivalents, entity.Change, entity.Comparison);

    public override Dataset AsDataset(MetricObservation entity) => new(Metrics: [entity]);

    public override string RequestPath(string datasetPath) => base.RequestPath(datasetPath) switch
    {
        "$.scope.id" or "$.scope.kind" => "scope",
        "$.indicator" => "indicator",
        "$.period.value" => "period",
        var path => path,
    };

    public override Task<ETag> WriteAsync(TableEntity? existing, MetricObservation entity, ChangeJournal journal, CancellationToken cancellationToken) =>
        journal.For("metric").PutDocumentAsync(tables.Metrics, MetricRecords.HistoryId(entity), existing, MetricRecords.Entity(entity), cancellationToken);

    public override Task RequireUnreferencedAsync(MetricObservation entity, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task DeleteAsync(TableEntity existing, MetricObservation entity, ChangeJournal journal, CancellationToken cancellationToken) =>
        journal.For("metric").DeleteAsync(tables.Metrics, MetricRecords.HistoryId(entity), existing, existing.ETag, cancellationToken);

    public override Task NotifyAsync(IAggregateChanges changes, MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) =>
        changes.MetricChangedAsync(before, after, cancellationToken);
}

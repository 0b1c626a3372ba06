using InnovationZones.Domain;

namespace InnovationZones.Aggregates;

/// <summary>
/// What every write tells the aggregates: the entity before and after the write (null when it did not
/// exist, or no longer does). Writers call it after the write has succeeded; the aggregates work turns
/// each change into the scopes it touches and marks them dirty for the next incremental run.
/// </summary>
public interface IAggregateChanges
{
    Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken);

    Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken);

    Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken);

    Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken);

    Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken);

    /// <summary>
    /// For many changes at once (an import): changes reported to the result may be held until its
    /// <see cref="IDeferredChanges.FlushAsync"/>, which the writer calls once those writes are done, so they
    /// are recorded together. By default each is passed on as it comes.
    /// </summary>
    IDeferredChanges Defer() => new ImmediateChanges(this);
}

/// <summary>Changes held for <see cref="FlushAsync"/>; see <see cref="IAggregateChanges.Defer"/>.</summary>
public interface IDeferredChanges : IAggregateChanges
{
    /// <summary>Records every change held so far.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>Passes each change on as it comes: nothing is held.</summary>
internal sealed class ImmediateChanges(IAggregateChanges inner) : IDeferredChanges
{
    public Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken) => inner.CityChangedAsync(before, after, cancellationToken);

    public Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken) => inner.ZoneChangedAsync(before, after, cancellationToken);

    public Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken) =>
        inner.OrganizationChangedAsync(before, after, cancellationToken);

    public Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken) =>
        inner.RelationChangedAsync(before, after, cancellationToken);

    public Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) =>
        inner.MetricChangedAsync(before, after, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using InnovationZones.Cities;
using InnovationZones.Metrics;
using InnovationZones.Organizations;
using InnovationZones.Zones;

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
}

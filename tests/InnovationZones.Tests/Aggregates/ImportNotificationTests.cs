using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Aggregates;

/// <summary>The import tells the aggregates what it created or updated, with the stored state before, and nothing else.</summary>
[Trait("Category", Tier.Host)]
public sealed class ImportNotificationTests : IAsyncLifetime
{
    private readonly Tables tables = AzuriteFixture.NewTables();
    private readonly RecordingChanges changes = new();
    private readonly DatasetImporter importer;

    public ImportNotificationTests() => importer = new DatasetImporter(tables, changes, NullLogger<DatasetImporter>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static Dataset Beijing => DatasetImporter.Parse(File.ReadAllText(ApiServer.BeijingDataset));

    [Fact]
    public async Task AFirstImportReportsEveryEntityAsNewAndAReImportReportsNothing()
    {
        await importer.ImportAsync(Beijing);

        Assert.Equal(1 + 4 + 7 + 6 + 8, changes.All.Count);
        Assert.All(changes.All, c => Assert.Null(c.Before));
        Assert.Equal(6, changes.All.Count(c => c.After is Relation { Type: RelationType.InitiatedBy }));
        Assert.Equal(8, changes.All.Count(c => c.After is MetricObservation));

        changes.All.Clear();
        await importer.ImportAsync(Beijing);
        Assert.Empty(changes.All);
    }

    [Fact]
    public async Task AnUpdateReportsTheStoredStateBefore()
    {
        await importer.ImportAsync(Beijing);
        changes.All.Clear();
        var huairou = Beijing.Zones!.Single(z => z.Id == "huairou-science-city");
        var wider = huairou with { Area = huairou.Area! with { Value = 101.5m } };

        await importer.ImportAsync(new Dataset(Zones: [wider]));

        var change = Assert.Single(changes.All);
        Assert.Equal(100.9m, ((Zone)change.Before!).Area!.Value);
        Assert.Equal(101.5m, ((Zone)change.After!).Area!.Value);
    }

    private sealed class RecordingChanges : IAggregateChanges
    {
        public List<(object? Before, object? After)> All { get; } = [];

        private Task Record(object? before, object? after)
        {
            lock (All)
            {
                All.Add((before, after));
            }

            return Task.CompletedTask;
        }

        public Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken) => Record(before, after);

        public Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken) => Record(before, after);

        public Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken) => Record(before, after);

        public Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken) => Record(before, after);

        public Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) => Record(before, after);
    }
}

using Azure.Core;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Import;

/// <summary>
/// The import's bulk reads and writes decide as a read of each entity just before its write would: stored
/// relations of an organization it creates count, and a write that lands between the read and the import's
/// own write is written over, never lost track of.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class ImportConsistencyTests : IAsyncLifetime
{
    private readonly StorageOptions options = AzuriteFixture.NewStorageOptions();
    private readonly CountingTransport transport = new();
    private readonly OrganizationChanges changes = new();
    private Tables tables = null!;
    private DatasetImporter importer = null!;

    public Task InitializeAsync()
    {
        tables = AzuriteFixture.NewTables(options, transport);
        importer = new DatasetImporter(tables, changes, NullLogger<DatasetImporter>.Instance);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static readonly string[] Zones = ["zone-a", "zone-b"];

    private static Relation LocatedIn(string organization, string zone) =>
        new(new EntityRef(EntityKind.Organization, organization), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, zone), GeneratedData.Source("test"));

    private async Task<Dataset> TwoZonesAsync()
    {
        var dataset = GeneratedData.CityWithOrganizations("drift-city", "zone-a", 0);
        dataset = dataset with { Zones = [dataset.Zones![0], dataset.Zones[0] with { Id = "zone-b" }] };
        await importer.ImportAsync(dataset);
        return dataset;
    }

    [Fact]
    public async Task ANewOrganizationIsIndexedUnderTheZonesOfRelationsAlreadyStoredAtItsEnd()
    {
        await TwoZonesAsync();

        // Rows left at an organization's end with no organization (a relation written while it was deleted).
        foreach (var (outgoing, incoming) in Zones.Select(z => RelationRecords.Entities(LocatedIn("ghost", z))))
        {
            await tables.Relations.UpsertEntityAsync(outgoing);
            await tables.Relations.UpsertEntityAsync(incoming);
        }

        var ghost = new Organization("ghost", "Ghost", null, OrganizationType.Company, null, null, null, null);
        var report = await importer.ImportAsync(new Dataset(Organizations: [ghost], Relations: [LocatedIn("ghost", "zone-a")]));

        // The relation is stored as the file has it; zone-b, which only storage names, indexes it too.
        Assert.Equal(new ImportCounts(1, 0, 0), report.Counts["organizations"]);
        Assert.Equal(new ImportCounts(0, 0, 1), report.Counts["relations"]);
        foreach (var zone in Zones)
        {
            var entry = Assert.Single(await TableSnapshot.PartitionAsync(tables.OrganizationIndex, "zone|" + zone));
            Assert.Equal("ghost", entry.RowKey);
            Assert.True(entry.GetBoolean("z_zone_a"));
            Assert.True(entry.GetBoolean("z_zone_b"));
        }
    }

    [Fact]
    public async Task AnOrganizationCreatedBetweenTheImportsReadAndItsInsertIsWrittenOverAndReportedUpdated()
    {
        await TwoZonesAsync();
        var theirs = new Organization("contested", "Theirs", null, OrganizationType.University, null, null, null, null);
        var ours = theirs with { Name = "Ours", Type = OrganizationType.Company };
        var other = new Organization("uncontested", "Other", null, null, null, null, null, null);

        // The import reads both organizations as absent, then, just before it inserts "contested", another
        // write creates it (as a PUT would, with its index entities).
        var writer = AzuriteFixture.NewTables(options);
        var raced = 0;
        transport.BeforeSend = async request =>
        {
            // The insert goes with its history row: a transaction (a POST to $batch) naming the table and the id.
            if (request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("batch", StringComparison.Ordinal)
                && await InsertsAsync(request, theirs.Id, options.TablePrefix + "Organizations") && Interlocked.Exchange(ref raced, 1) == 0)
            {
                var document = ApiJson.Serialize(theirs);
                await IndexedDocuments.WriteAsync(writer.Organizations, writer.OrganizationIndex, theirs.Id, document, OrganizationIndex.Entities(theirs, document, []), default);
            }
        };

        var report = await importer.ImportAsync(new Dataset(Organizations: [ours, other]));
        transport.BeforeSend = null;

        Assert.Equal(1, raced);
        Assert.Equal(new ImportCounts(1, 1, 0), report.Counts["organizations"]);
        var stored = await tables.Organizations.FindAsync("contested", Keys.MainRowKey("contested"), default);
        Assert.Equal(ApiJson.Serialize(ours), stored!.GetString(TableReads.DocumentProperty));
        Assert.Equal(
            ["name|ours|contested", "type|company|contested"],
            IndexedDocuments.ReadIndexKeys(stored).Select(k => $"{k.PartitionKey}|{k.RowKey}").Order(StringComparer.Ordinal));

        // Theirs is gone from the index, ours is there, and the change is told with theirs as the state before.
        Assert.Empty(await TableSnapshot.PartitionAsync(tables.OrganizationIndex, "type|university"));
        Assert.Equal("contested", Assert.Single(await TableSnapshot.PartitionAsync(tables.OrganizationIndex, "type|company")).RowKey);
        var change = Assert.Single(changes.All, c => c.After?.Id == "contested");
        Assert.Equal(theirs, change.Before);
        Assert.Null(Assert.Single(changes.All, c => c.After?.Id == "uncontested").Before);
    }

    private sealed class OrganizationChanges : IAggregateChanges
    {
        public List<(Organization? Before, Organization? After)> All { get; } = [];

        public Task OrganizationChangedAsync(Organization? before, Organization? after, CancellationToken cancellationToken)
        {
            lock (All)
            {
                All.Add((before, after));
            }

            return Task.CompletedTask;
        }

        public Task CityChangedAsync(City? before, City? after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ZoneChangedAsync(Zone? before, Zone? after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RelationChangedAsync(Relation? before, Relation? after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task MetricChangedAsync(MetricObservation? before, MetricObservation? after, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Whether an insert is of the entity <paramref name="id"/> (the two organizations' inserts run in parallel, in either order).</summary>
    private static async Task<bool> InsertsAsync(Request request, string id, string table)
    {
        using var body = new MemoryStream();
        if (request.Content is null)
        {
            return false;
        }

        await request.Content.WriteToAsync(body, default);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return text.Contains("\"PartitionKey\":\"" + id + "\"", StringComparison.Ordinal) && text.Contains("/" + table + "?", StringComparison.Ordinal);
    }
}

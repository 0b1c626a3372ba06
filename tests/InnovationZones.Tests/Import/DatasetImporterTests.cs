using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Aggregates;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Import;

/// <summary>The import routine against Azurite: validation first, idempotent writes, index entities kept in step.</summary>
[Trait("Category", Tier.Storage)]
public sealed class DatasetImporterTests : IAsyncLifetime
{
    private readonly Tables tables = AzuriteFixture.NewTables();
    private readonly DatasetImporter importer;

    public DatasetImporterTests() => importer = new DatasetImporter(tables, new DirtyScopes(tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static Dataset Beijing => DatasetImporter.Parse(File.ReadAllText(ApiServer.BeijingDataset));

    [Fact]
    public async Task ImportingBeijingCreatesEveryEntityOnce()
    {
        var report = await importer.ImportAsync(Beijing);
        Assert.Equal(new ImportCounts(4, 0, 0), report.Counts["zones"]);
        Assert.Equal(new ImportCounts(7, 0, 0), report.Counts["organizations"]);
        Assert.Equal(new ImportCounts(6, 0, 0), report.Counts["relations"]);
        Assert.Equal(new ImportCounts(8, 0, 0), report.Counts["metrics"]);
        Assert.Equal(new ImportCounts(1, 0, 0), report.Counts["cities"]);
        Assert.Equal(new ImportCounts(5, 0, 0), report.Counts["industries"]);
        Assert.Equal(new ImportCounts(1, 0, 0), report.Counts["documents"]);
    }

    [Fact]
    public async Task ImportingTheSameDatasetTwiceChangesNothing()
    {
        await importer.ImportAsync(Beijing);
        var before = await TableSnapshot.TakeAsync(tables);

        var second = await importer.ImportAsync(Beijing);

        Assert.Equal(0, second.Created);
        Assert.Equal(0, second.Updated);
        Assert.Equal(32, second.Unchanged);
        Assert.Equal(before, await TableSnapshot.TakeAsync(tables));
    }

    [Fact]
    public async Task AnInvalidDatasetWritesNothingNotEvenTables()
    {
        var dataset = Beijing with { Metrics = [.. Beijing.Metrics!, Beijing.Metrics![0] with { Indicator = "Bad Indicator" }] };

        var failure = await Assert.ThrowsAsync<DatasetInvalidException>(() => importer.ImportAsync(dataset));

        var error = Assert.Single(failure.Errors);
        Assert.Equal("metrics[8].indicator", error.Path);
        Assert.All(await TableSnapshot.TakeAsync(tables), row => Assert.EndsWith("(absent)", row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvalidDatasetLeavesExistingDataExactlyAsItWas()
    {
        await importer.ImportAsync(Beijing);
        var before = await TableSnapshot.TakeAsync(tables);
        var changed = Beijing.Zones![0] with { Name = "Renamed" };
        var dataset = new Dataset(Zones: [changed], Metrics: [Beijing.Metrics![0] with { Scope = new EntityRef(EntityKind.Zone, "nowhere") }]);

        var failure = await Assert.ThrowsAsync<DatasetInvalidException>(() => importer.ImportAsync(dataset));

        Assert.Equal("metrics[0].scope.id", Assert.Single(failure.Errors).Path);
        Assert.Equal(before, await TableSnapshot.TakeAsync(tables));
    }

    [Fact]
    public async Task ALaterImportMayReferToWhatIsAlreadyStored()
    {
        await importer.ImportAsync(Beijing);
        var observation = Beijing.Metrics!.Single(m => m.Indicator == "rd-expenditure") with
        {
            Period = new Period("2022", PeriodKind.Year, null),
            Value = 250.00m,
        };

        var report = await importer.ImportAsync(new Dataset(Metrics: [observation]));

        Assert.Equal(new ImportCounts(1, 0, 0), report.Counts["metrics"]);
        var stored = await tables.Metrics.FindAsync("zone|zhongguancun-science-city", "rd-expenditure|2022", default);
        Assert.Contains("\"value\":250.00", stored!.GetString(TableReads.DocumentProperty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAZonesIndustriesMovesItsIndexEntries()
    {
        var dataset = GeneratedData.CityWithOrganizations("idx-city", "idx-zone", 0);
        var extra = new Industry("drones", "Drones");
        await importer.ImportAsync(dataset with { Industries = [.. dataset.Industries!, extra] });

        var moved = dataset.Zones![0] with { FocusIndustries = ["drones"] };
        var report = await importer.ImportAsync(new Dataset(Zones: [moved]));

        Assert.Equal(new ImportCounts(0, 1, 0), report.Counts["zones"]);
        Assert.Empty(await TableSnapshot.PartitionAsync(tables.ZoneIndex, "industry|robotics"));
        var entry = Assert.Single(await TableSnapshot.PartitionAsync(tables.ZoneIndex, "industry|drones"));
        Assert.Equal("idx-zone", entry.RowKey);
        Assert.True(entry.GetBoolean("i_drones"));
        var main = await tables.Zones.FindAsync("idx-zone", Keys.MainRowKey("idx-zone"), default);
        Assert.Equal(
            ["city|idx-city", "industry|drones", "kind|high-tech-zone"],
            IndexedDocuments.ReadIndexKeys(main!).Select(k => k.PartitionKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LocatedInRelationsPutOrganizationsInTheirZoneIndex()
    {
        var dataset = GeneratedData.CityWithOrganizations("rel-city", "rel-zone", 3);
        await importer.ImportAsync(dataset);

        var entries = await TableSnapshot.PartitionAsync(tables.OrganizationIndex, "zone|rel-zone");
        Assert.Equal(dataset.Organizations!.Select(o => o.Id), entries.Select(e => e.RowKey));
        Assert.All(entries, e => Assert.True(e.GetBoolean("z_rel_zone")));

        var incoming = await TableSnapshot.PartitionAsync(tables.Relations, "zone|rel-zone");
        Assert.Equal(3, incoming.Count);
        Assert.All(incoming, e => Assert.StartsWith("in|located-in|organization|", e.RowKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOrganizationLocatedInAZoneByALaterImportIsIndexedThere()
    {
        await importer.ImportAsync(Beijing);
        var relation = new Relation(
            new EntityRef(EntityKind.Organization, "zhijiang-lab"), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, "future-science-city"),
            new SourceRef("beijing-innovation-platforms-2022", null, "test"));

        await importer.ImportAsync(new Dataset(Relations: [relation]));

        var entry = Assert.Single(await TableSnapshot.PartitionAsync(tables.OrganizationIndex, "zone|future-science-city"));
        Assert.Equal("zhijiang-lab", entry.RowKey);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Aggregates;

/// <summary>The recompute against Azurite: full equals incremental, cancellation, marks racing a run, index drift.</summary>
[Trait("Category", Tier.Storage)]
public sealed class RecomputeTests : IAsyncLifetime
{
    private static readonly string[] Cities = ["north", "south"];
    private static readonly string[] ZoneIds = ["z-a", "z-b", "z-c", "z-d"];
    private static readonly string[] IndustryIds = ["ai", "biotech", "chips"];
    private static readonly SourceRef Source = GeneratedData.Source("test");

    private readonly Tables tables = AzuriteFixture.NewTables();
    private readonly DirtyScopes dirty;
    private readonly AggregatesRecompute recompute;
    private readonly StorageWrites writes;

    public RecomputeTests()
    {
        dirty = new DirtyScopes(tables, TimeProvider.System);
        recompute = new AggregatesRecompute(tables, dirty, TimeProvider.System, NullLogger<AggregatesRecompute>.Instance);
        writes = new StorageWrites(tables, dirty);
    }

    public Task InitializeAsync() => tables.CreateIfNotExistsAsync();

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static Zone NewZone(string id, string city, ZoneKind kind, decimal? area, Qualifier qualifier, params string[] industries) =>
        new(id, "Zone " + id, city, kind, null, area is { } a ? new Quantity(a, "km2", qualifier, Source) : null, industries, null, null, null);

    private static Organization NewOrganization(string id, OrganizationType? type, params string[] industries) =>
        NewOrganization(id, type, null, industries);

    private static Organization NewOrganization(string id, OrganizationType? type, string? headquarters, params string[] industries) =>
        new(id, "Organization " + id, null, type, headquarters is null ? null : new Headquarters(headquarters, null, null), null, industries, null);

    private static Relation LocatedIn(string organization, string zone) =>
        new(new EntityRef(EntityKind.Organization, organization), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, zone), Source);

    private static Relation InitiatedBy(string organization, string other) =>
        new(new EntityRef(EntityKind.Organization, organization), RelationType.InitiatedBy, new EntityRef(EntityKind.Organization, other), Source);

    private static MetricObservation Metric(EntityRef scope, string indicator, string period, decimal value, Qualifier qualifier, string unit = "billion-cny") =>
        new(scope, indicator, indicator, new Period(period, PeriodKind.Year, null), value, null, unit, qualifier, null, null, null, Source);

    private async Task SeedAsync()
    {
        var importer = new DatasetImporter(tables, dirty, NullLogger<DatasetImporter>.Instance);
        await importer.ImportAsync(new Dataset(
            Documents: [new SourceDocument(GeneratedData.DocumentId, "Generated", null, null)],
            Industries: [.. IndustryIds.Select(i => new Industry(i, "Industry " + i))],
            Cities: [.. Cities.Select(c => new City(c, "City " + c, null, null, null))],
            Zones:
            [
                NewZone("z-a", "north", ZoneKind.ScienceCity, 10.5m, Qualifier.Exact, "ai"),
                NewZone("z-b", "north", ZoneKind.HighTechZone, 4m, Qualifier.MoreThan, "chips", "ai"),
                NewZone("z-c", "south", ZoneKind.ScienceCity, null, Qualifier.Exact),
                NewZone("z-d", "south", ZoneKind.IndustrialPark, 7.25m, Qualifier.Exact, "biotech"),
            ],
            Organizations: [.. Enumerable.Range(0, 8).Select(i => NewOrganization($"o{i}", i % 3 == 0 ? null : (OrganizationType)(i % 4), i % 3 == 2 ? null : Cities[i % 2], IndustryIds[i % 3]))],
            Relations: [LocatedIn("o0", "z-a"), LocatedIn("o1", "z-a"), LocatedIn("o1", "z-b"), LocatedIn("o2", "z-d"), InitiatedBy("o3", "o4")],
            Metrics: [Metric(new EntityRef(EntityKind.Zone, "z-a"), "rd", "2021", 21.5m, Qualifier.Exact), Metric(new EntityRef(EntityKind.Zone, "z-a"), "rd", "2020", 20m, Qualifier.Exact)]));
    }

    /// <summary>Every aggregate, without what differs between runs (its run id and time).</summary>
    private Task<SortedDictionary<string, string>> AggregatesAsync() => TableSnapshot.AggregatesAsync(tables);

    private async Task<List<string>> MarksAsync()
    {
        var marks = new List<string>();
        await foreach (var entity in tables.DirtyScopes.QueryAsync<TableEntity>())
        {
            marks.Add(entity.PartitionKey + "|" + entity.RowKey);
        }

        return marks;
    }

    /// <summary>One random write: zones move, change kind, area and industries; organizations change, appear and go; relations and figures come and go.</summary>
    private async Task RandomWriteAsync(Random random)
    {
        var zone = ZoneIds[random.Next(ZoneIds.Length)];
        var organization = "o" + random.Next(10).ToString(CultureInfo.InvariantCulture);
        var other = "o" + random.Next(10).ToString(CultureInfo.InvariantCulture);
        var exists = await tables.Organizations.FindAsync(organization, Keys.MainRowKey(organization), CancellationToken.None) is not null;
        var otherExists = await tables.Organizations.FindAsync(other, Keys.MainRowKey(other), CancellationToken.None) is not null;
        var qualifiers = Enum.GetValues<Qualifier>();
        switch (random.Next(8))
        {
            case 0:
                await writes.PutZoneAsync(NewZone(zone, Cities[random.Next(2)], (ZoneKind)random.Next(5),
                    random.Next(3) == 0 ? null : random.Next(1, 500) / 4m, qualifiers[random.Next(qualifiers.Length)],
                    [.. IndustryIds.Where(_ => random.Next(2) == 0)]));
                break;
            case 1:
            case 2:
                await writes.PutOrganizationAsync(NewOrganization(organization, random.Next(4) == 0 ? null : (OrganizationType)random.Next(7),
                    random.Next(3) == 0 ? null : Cities[random.Next(2)], [.. IndustryIds.Where(_ => random.Next(3) == 0)]));
                break;
            case 3:
                await writes.DeleteOrganizationAsync(organization);
                break;
            case 4 when exists:
                await writes.PutRelationAsync(LocatedIn(organization, zone));
                break;
            case 5 when exists:
                await writes.DeleteRelationAsync(LocatedIn(organization, zone));
                break;
            case 6 when exists && otherExists && organization != other:
                await writes.PutRelationAsync(InitiatedBy(organization, other));
                break;
            default:
                var scope = random.Next(3) == 0 ? new EntityRef(EntityKind.City, Cities[random.Next(2)]) : new EntityRef(EntityKind.Zone, zone);
                await writes.PutMetricAsync(Metric(scope, random.Next(2) == 0 ? "rd" : "firms", (2018 + random.Next(5)).ToString(CultureInfo.InvariantCulture),
                    random.Next(1, 10_000) / 100m, qualifiers[random.Next(qualifiers.Length)], random.Next(2) == 0 ? "billion-cny" : "count"));
                break;
        }
    }

    [Fact]
    public async Task FullEqualsIncrementalAfterRandomSequencesOfWrites()
    {
        await SeedAsync();
        Assert.Equal(RunKind.Full, (await recompute.RunIncrementalAsync(CancellationToken.None)).Kind);

        for (var sequence = 0; sequence < 12; sequence++)
        {
            var random = new Random(1000 + sequence);
            var count = random.Next(3, 12);
            for (var i = 0; i < count; i++)
            {
                await RandomWriteAsync(random);
                if (random.Next(5) == 0)
                {
                    Assert.Equal(RunStatus.Succeeded, (await recompute.RunIncrementalAsync(CancellationToken.None)).Status);
                }
            }

            var incremental = await recompute.RunIncrementalAsync(CancellationToken.None);
            Assert.Equal((RunKind.Incremental, RunStatus.Succeeded), (incremental.Kind, incremental.Status));
            Assert.Empty(await MarksAsync());
            var afterIncremental = await AggregatesAsync();

            var full = await recompute.RunFullAsync(CancellationToken.None);
            Assert.Equal(RunStatus.Succeeded, full.Status);
            Assert.Equal(0, full.IndexEntriesRepaired.Total);
            Assert.Equal(await AggregatesAsync(), afterIncremental);
        }
    }

    [Fact]
    public async Task AnIncrementalRunRecomputesOnlyTheScopesAWriteTouched()
    {
        await SeedAsync();
        var first = await recompute.RunFullAsync(CancellationToken.None);
        Assert.Empty(await MarksAsync());

        await writes.PutOrganizationAsync(NewOrganization("o1", OrganizationType.University, "chips"));
        var run = await recompute.RunIncrementalAsync(CancellationToken.None);

        // o1: itself, its old and new type and industries, the zones it is located in (z-a, z-b) and their city.
        Assert.Equal(RunKind.Incremental, run.Kind);
        Assert.True(run.ScopesRecomputed < first.ScopesRecomputed / 2, $"{run.ScopesRecomputed} of {first.ScopesRecomputed}");
        Assert.True(run.EntitiesRead < first.EntitiesRead, $"{run.EntitiesRead} read, full run {first.EntitiesRead}");
        var aggregates = await AggregatesAsync();
        Assert.Contains("\"university\":1", aggregates["zone|z-b"], StringComparison.Ordinal);
        Assert.Contains("\"university\":1", aggregates["city|north"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunCancelledHalfWayThenANormalRunIsCorrect()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        for (var i = 0; i < 8; i++)
        {
            await RandomWriteAsync(new Random(7 + i));
        }

        var marks = (await MarksAsync()).Count;
        using (var cancel = new CancellationTokenSource())
        {
            var written = 0;
            recompute.AfterWrite = _ =>
            {
                if (++written == 2)
                {
                    cancel.Cancel();
                }
            };
            var cancelled = await recompute.RunIncrementalAsync(cancel.Token);
            recompute.AfterWrite = null;
            Assert.Equal(RunStatus.Cancelled, cancelled.Status);
            Assert.NotNull(cancelled.Error);
            Assert.Equal(marks, (await MarksAsync()).Count);
        }

        var normal = await recompute.RunIncrementalAsync(CancellationToken.None);
        Assert.Equal((RunKind.Incremental, RunStatus.Succeeded), (normal.Kind, normal.Status));
        var afterIncremental = await AggregatesAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        Assert.Equal(await AggregatesAsync(), afterIncremental);

        // A cancelled full run is put right by the next full run too.
        using (var cancel = new CancellationTokenSource())
        {
            await writes.PutZoneAsync(NewZone("z-c", "north", ZoneKind.FreeTradeZone, 3m, Qualifier.About));
            recompute.AfterWrite = _ => cancel.Cancel();
            Assert.Equal(RunStatus.Cancelled, (await recompute.RunFullAsync(cancel.Token)).Status);
            recompute.AfterWrite = null;
        }

        await recompute.RunFullAsync(CancellationToken.None);
        var afterFull = await AggregatesAsync();
        Assert.Contains("\"cityId\":\"north\",\"kind\":\"free-trade-zone\"", afterFull["zone|z-c"], StringComparison.Ordinal);
        await recompute.RunIncrementalAsync(CancellationToken.None);
        Assert.Equal(afterFull, await AggregatesAsync());
    }

    [Fact]
    public async Task AScopeReMarkedDuringARunStaysMarkedForTheNext()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        await writes.PutZoneAsync(NewZone("z-a", "north", ZoneKind.ScienceCity, 11m, Qualifier.Exact, "ai"));
        Assert.Equal(["city|north", "industry|ai", "zone|z-a"], (await MarksAsync()).Order(StringComparer.Ordinal));

        // A write lands while the run computes: its mark moves on, so the run's conditional delete keeps it.
        var reMarked = false;
        recompute.AfterWrite = scope =>
        {
            if (!reMarked)
            {
                reMarked = true;
                dirty.MarkAsync([new AggregateScope(ScopeKind.Zone, "z-a")], CancellationToken.None).GetAwaiter().GetResult();
            }
        };
        var run = await recompute.RunIncrementalAsync(CancellationToken.None);
        recompute.AfterWrite = null;

        Assert.Equal(2, run.DirtyScopesCleared);
        Assert.Equal(["zone|z-a"], await MarksAsync());
        Assert.Equal(1, (await recompute.RunIncrementalAsync(CancellationToken.None)).DirtyScopesCleared);
        Assert.Empty(await MarksAsync());
    }

    [Fact]
    public async Task AFullRunRepairsPlantedIndexDriftAndCountsIt()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        var clean = await IndexAsync();
        var cleanAggregates = await AggregatesAsync();

        // Missing: index entities deleted behind the writes' back.
        await tables.ZoneIndex.DeleteEntityAsync(ZoneIndex.KindPartition(ZoneKind.ScienceCity), "z-a", ETag.All);
        await tables.OrganizationIndex.DeleteEntityAsync(OrganizationIndex.ZonePartition("z-a"), "o0", ETag.All);
        await tables.OrganizationIndex.DeleteEntityAsync(OrganizationIndex.CityPartition("north"), "o0", ETag.All);

        // Stale: copies that no longer match their entity.
        var staleZone = (await tables.ZoneIndex.GetEntityAsync<TableEntity>(ZoneIndex.CityPartition("south"), "z-d")).Value;
        staleZone[TableReads.DocumentProperty] = ApiJson.Serialize(NewZone("z-d", "south", ZoneKind.IndustrialPark, 1m, Qualifier.Exact));
        await tables.ZoneIndex.UpdateEntityAsync(staleZone, ETag.All, TableUpdateMode.Replace);
        var staleOrganization = (await tables.OrganizationIndex.GetEntityAsync<TableEntity>(OrganizationIndex.ZonePartition("z-a"), "o1")).Value;
        staleOrganization[OrganizationIndex.TypeProperty] = "university";
        await tables.OrganizationIndex.UpdateEntityAsync(staleOrganization, ETag.All, TableUpdateMode.Replace);
        var staleMember = (await tables.OrganizationIndex.GetEntityAsync<TableEntity>(OrganizationIndex.CityPartition("south"), "o2")).Value;
        Assert.Equal("located-in-zone", staleMember.GetString(OrganizationIndex.MembershipProperty));
        staleMember[OrganizationIndex.MembershipProperty] = "headquartered";
        await tables.OrganizationIndex.UpdateEntityAsync(staleMember, ETag.All, TableUpdateMode.Replace);

        // Orphaned: entries for a zone that does not exist, and for an organization not located in the zone.
        await tables.ZoneIndex.UpsertEntityAsync(IndexedDocuments.IndexEntity(ZoneIndex.KindPartition(ZoneKind.ScienceCity), "atlantis", "{}"));
        await tables.OrganizationIndex.UpsertEntityAsync(IndexedDocuments.IndexEntity(OrganizationIndex.ZonePartition("z-c"), "o5", "{}"));
        await tables.OrganizationIndex.UpsertEntityAsync(IndexedDocuments.IndexEntity(OrganizationIndex.TypePartition(OrganizationType.Company), "gone", "{}"));
        await tables.OrganizationIndex.UpsertEntityAsync(IndexedDocuments.IndexEntity(OrganizationIndex.CityPartition("north"), "o2", "{}"));

        var run = await recompute.RunFullAsync(CancellationToken.None);

        Assert.Equal(new IndexRepairs(Missing: 3, Stale: 3, Orphaned: 4), run.IndexEntriesRepaired);
        Assert.Equal(clean, await IndexAsync());
        Assert.Equal(cleanAggregates, await AggregatesAsync());
        Assert.Equal(IndexRepairs.None, (await recompute.RunFullAsync(CancellationToken.None)).IndexEntriesRepaired);

        var records = await RunRecordsAsync();
        Assert.Equal(run.IndexEntriesRepaired, records.Single(r => r.RunId == run.RunId).IndexEntriesRepaired);
    }

    [Fact]
    public async Task ACityCountsOrganizationsHeadquarteredThereAndLocatedInItsZonesOnce()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        var aggregates = await AggregatesAsync();

        // North: o0 (headquartered, in z-a), o1 (in z-a and z-b, headquartered in the south), o4 and o6 (headquartered).
        Assert.Contains("\"organizations\":{\"count\":4,", aggregates["city|north"], StringComparison.Ordinal);
        Assert.Contains("\"byMembership\":{\"headquartered\":3,\"located-in-zone\":2}", aggregates["city|north"], StringComparison.Ordinal);

        // South: o1, o3 and o7 (headquartered), o2 (in z-d).
        Assert.Contains("\"organizations\":{\"count\":4,", aggregates["city|south"], StringComparison.Ordinal);
        Assert.Contains("\"byMembership\":{\"headquartered\":3,\"located-in-zone\":1}", aggregates["city|south"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AZoneMovedWithoutItsOrganizationsIsRepairedByTheFullRun()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);

        // z-d moves from the south to the north, as a write cut off before it reindexed o2 leaves it: o2 is still filed under the south
        // (its city copy), and its other copies carry the south's flag.
        var moved = NewZone("z-d", "north", ZoneKind.IndustrialPark, 7.25m, Qualifier.Exact, "biotech");
        var document = ApiJson.Serialize(moved);
        await IndexedDocuments.WriteAsync(tables.Zones, tables.ZoneIndex, moved.Id, document, ZoneIndex.Entities(moved, document), CancellationToken.None);
        Assert.NotNull(await tables.OrganizationIndex.FindAsync(OrganizationIndex.CityPartition("south"), "o2", CancellationToken.None));

        var run = await recompute.RunFullAsync(CancellationToken.None);

        Assert.Equal(new IndexRepairs(Missing: 1, Stale: 4, Orphaned: 1), run.IndexEntriesRepaired);
        Assert.Null(await tables.OrganizationIndex.FindAsync(OrganizationIndex.CityPartition("south"), "o2", CancellationToken.None));
        var north = await tables.OrganizationIndex.FindAsync(OrganizationIndex.CityPartition("north"), "o2", CancellationToken.None);
        Assert.Equal([CityMembership.LocatedInZone], OrganizationIndex.ReadMembership(north!));
        Assert.Equal(IndexRepairs.None, (await recompute.RunFullAsync(CancellationToken.None)).IndexEntriesRepaired);
    }

    [Fact]
    public async Task AFullRunRepairsARelationWhoseTwoRowsDrifted()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        var clean = await RelationRowsAsync();
        var locatedIn = RelationRecords.Entities(LocatedIn("o0", "z-a")).Incoming;
        var initiatedBy = RelationRecords.Entities(InitiatedBy("o3", "o4")).Incoming;

        // Missing: the row at the zone's end of o0's located-in relation, as a crash between the two writes leaves it.
        await tables.Relations.DeleteEntityAsync(locatedIn.PartitionKey, locatedIn.RowKey, ETag.All);

        // Stale: the row at o4's end says another source than the relation.
        var stale = (await tables.Relations.GetEntityAsync<TableEntity>(initiatedBy.PartitionKey, initiatedBy.RowKey)).Value;
        stale[TableReads.DocumentProperty] = ApiJson.Serialize(InitiatedBy("o3", "o4") with { Source = new SourceRef("other-document") });
        await tables.Relations.UpdateEntityAsync(stale, ETag.All, TableUpdateMode.Replace);

        // Orphaned: a row at a zone's end of a relation that was never written at the organization's end.
        await tables.Relations.UpsertEntityAsync(RelationRecords.Entities(LocatedIn("o5", "z-c")).Incoming);

        var run = await recompute.RunFullAsync(CancellationToken.None);

        Assert.Equal(new IndexRepairs(Missing: 1, Stale: 1, Orphaned: 1), run.IndexEntriesRepaired);
        Assert.Equal(clean, await RelationRowsAsync());
        Assert.Equal(IndexRepairs.None, (await recompute.RunFullAsync(CancellationToken.None)).IndexEntriesRepaired);
    }

    [Fact]
    public async Task AnOrganizationWrittenWhileTheReconcileRunsKeepsItsIndexEntities()
    {
        await SeedAsync();
        var reconcile = new IndexReconcile(tables, new TableScan());
        var written = false;

        // When the first pass reaches the last organization, one whose id sorts first is written: the first
        // pass has gone by it, so the second meets index entities that it did not expect.
        var repairs = await reconcile.OrganizationsAsync(async (entry, _) =>
        {
            if (entry.Organization.Id == "o7")
            {
                await writes.PutOrganizationAsync(NewOrganization("a-new", OrganizationType.Company, IndustryIds[0]));
                written = true;
            }
        }, CancellationToken.None);

        Assert.True(written);
        Assert.Equal(IndexRepairs.None, repairs);
        var companies = new List<string>();
        await foreach (var entity in tables.OrganizationIndex.QueryAsync<TableEntity>(e => e.PartitionKey == OrganizationIndex.TypePartition(OrganizationType.Company)))
        {
            companies.Add(entity.RowKey);
        }

        Assert.Contains("a-new", companies);
    }

    private async Task<List<string>> RelationRowsAsync()
    {
        var rows = new List<string>();
        await foreach (var entity in tables.Relations.QueryAsync<TableEntity>())
        {
            rows.Add(entity.PartitionKey + "|" + entity.RowKey + "|" + entity.GetString(TableReads.DocumentProperty));
        }

        return rows;
    }

    [Fact]
    public async Task AFullRunRemovesTheAggregatesOfScopesThatAreGone()
    {
        await SeedAsync();
        await recompute.RunFullAsync(CancellationToken.None);
        await tables.Aggregates.UpsertEntityAsync(AggregateRecords.Entity(new AggregateScope(ScopeKind.Zone, "z-gone"), new { }, "old-run"));

        var run = await recompute.RunFullAsync(CancellationToken.None);

        Assert.Equal(1, run.AggregatesDeleted);
        Assert.DoesNotContain("zone|z-gone", (await AggregatesAsync()).Keys);
    }

    [Fact]
    public async Task EachRunIsRecordedWithItsFigures()
    {
        await SeedAsync();
        var full = await recompute.RunFullAsync(CancellationToken.None, isPastDue: true);
        await writes.PutMetricAsync(Metric(new EntityRef(EntityKind.City, "south"), "gdp", "2022", 5m, Qualifier.About));
        var incremental = await recompute.RunIncrementalAsync(CancellationToken.None);

        var records = await RunRecordsAsync();
        Assert.Equal([incremental.RunId, full.RunId], records.Select(r => r.RunId));
        var stored = records[1];
        Assert.Equal((RunKind.Full, RunStatus.Succeeded, true), (stored.Kind, stored.Status, stored.IsPastDue));
        Assert.Equal(full.StartedAt, stored.StartedAt);
        Assert.True(stored.EndedAt >= stored.StartedAt);
        Assert.True(stored.DurationMs > 0);
        Assert.True(stored.EntitiesRead > 20);

        // 8 organizations, 4 zones, 2 cities, 3 industries, 7 organization types.
        Assert.Equal(24, stored.AggregatesWritten);
        Assert.Equal(24, stored.ScopesRecomputed);
        Assert.Null(stored.Error);

        // The metric marks the city: one scope, one aggregate.
        Assert.Equal((RunKind.Incremental, 1, 1, 1), (records[0].Kind, records[0].ScopesRecomputed, records[0].AggregatesWritten, records[0].DirtyScopesCleared));
        Assert.Equal(incremental.RunId, (await AggregateRecords.LatestSucceededAsync(tables, CancellationToken.None))!.RunId);
    }

    private async Task<List<RunRecord>> RunRecordsAsync()
    {
        var records = new List<RunRecord>();
        await foreach (var entity in tables.AggregateRuns.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AggregateRecords.RunsPartition}")))
        {
            records.Add(entity.ReadDocument<RunRecord>());
        }

        return records;
    }

    /// <summary>Both index tables: keys and every property but the service's own.</summary>
    private async Task<List<string>> IndexAsync()
    {
        var rows = new List<string>();
        foreach (var table in new[] { tables.ZoneIndex, tables.OrganizationIndex })
        {
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                rows.Add(entity.PartitionKey + "|" + entity.RowKey + "|" + string.Join(",",
                    entity.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order(StringComparer.Ordinal).Select(k => k + "=" + entity[k])));
            }
        }

        return rows;
    }
}

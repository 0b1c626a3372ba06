using System.Globalization;
using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Storage;

/// <summary>
/// Main entities stored under the former key (RowKey = "", history rows <c>~h||{ticks}</c>) move to RowKey = id
/// (<c>~h|{id}|{ticks}</c>) with every property, once, and a run cut off part-way is finished by the next.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class MainKeyMigrationTests : IAsyncLifetime
{
    private static readonly SourceRef Source = GeneratedData.Source("test");

    private static readonly string[] MainTables = ["Cities", "Zones", "Organizations"];

    private readonly Tables tables = AzuriteFixture.NewTables();

    public Task InitializeAsync() => tables.CreateIfNotExistsAsync();

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private DatasetImporter Importer() => new(tables, new DirtyScopes(tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance);

    private static Organization NewOrganization(string id, string name) =>
        new(id, name, null, OrganizationType.Company, null, null, ["ai"], null);

    private static Dataset Data(string organizationName) => new(
        Documents: [new SourceDocument(GeneratedData.DocumentId, "Generated", null, null)],
        Industries: [new Industry("ai", "AI")],
        Cities: [new City("north", "North", null, null, null)],
        Zones: [new Zone("z-a", "Zone A", "north", ZoneKind.ScienceCity, null, new Quantity(10.5m, "km2", Qualifier.Exact, Source), ["ai"], null, null, null)],
        Organizations: [NewOrganization("o-a", organizationName), NewOrganization("o-gone", "Gone")],
        Relations: [new Relation(new EntityRef(EntityKind.Organization, "o-a"), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, "z-a"), Source)],
        Metrics: []);

    /// <summary>Cities, zones and organizations as the app writes them now: o-a changed twice, o-gone created and deleted.</summary>
    private async Task SeedAsync()
    {
        await Importer().ImportAsync(Data("First"));
        await Importer().ImportAsync(Data("Second"));
        await Importer().ImportAsync(Data("Third"));
        var gone = (await tables.Organizations.FindMainAsync("o-gone", default))!;
        var journal = new ChangeJournal(tables, ChangeOrigin.New(ChangeAuthor.App));
        await IndexedDocuments.DeleteAsync(tables.Organizations, tables.OrganizationIndex, gone, journal.For("organization"), default);
        await journal.PublishAsync(default);
    }

    private Task DowngradeAsync() => OldKeyRows.DowngradeAsync(tables.Main);

    private static TableEntity Old(TableEntity row) => OldKeyRows.Old(row);

    /// <summary>Every row of the main tables: keys and every property with its type, but not what storage stamps (Timestamp, ETag).</summary>
    private async Task<List<string>> RowsAsync()
    {
        var rows = new List<string>();
        foreach (var name in MainTables)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>())
            {
                var properties = entity
                    .Where(p => p.Key is not ("Timestamp" or "odata.etag" or "PartitionKey" or "RowKey"))
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => $"{p.Key}:{p.Value?.GetType().Name}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}");
                rows.Add($"{name}/{entity.PartitionKey}/{entity.RowKey}|{string.Join("|", properties)}");
            }
        }

        return rows;
    }

    /// <summary>Every row of the main tables with its ETag: equal lists mean nothing was written.</summary>
    private async Task<List<string>> VersionsAsync()
    {
        var rows = new List<string>();
        foreach (var name in MainTables)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>())
            {
                rows.Add($"{name}/{entity.PartitionKey}/{entity.RowKey}/{entity.ETag}");
            }
        }

        return rows;
    }

    [Fact]
    public async Task OldRowsMoveToTheirIdWithEveryPropertyAndASecondRunChangesNothing()
    {
        await SeedAsync();
        var expected = await RowsAsync();
        await DowngradeAsync();
        var old = await RowsAsync();

        // Before: every live row under "", every history row under ~h||; o-gone's history alone, with no live row.
        Assert.Contains(old, r => r.StartsWith("Zones/z-a/|ChangedTicks:Int64=", StringComparison.Ordinal));
        Assert.Equal(3, old.Count(r => r.StartsWith("Organizations/o-a/~h||", StringComparison.Ordinal)));
        Assert.Equal(2, old.Count(r => r.StartsWith("Organizations/o-gone/~h||", StringComparison.Ordinal)));
        Assert.DoesNotContain(old, r => r.StartsWith("Organizations/o-gone/|", StringComparison.Ordinal));
        Assert.DoesNotContain(old, r => r.Contains("/z-a/z-a|", StringComparison.Ordinal) || r.Contains("/o-a/o-a|", StringComparison.Ordinal));

        // 10 rows: 3 live rows (north, z-a, o-a) and the history rows: north 1, z-a 1, o-a 3 (created, replaced twice), o-gone 2 (created, deleted).
        Assert.Equal(10, old.Count);
        var moved = await MainKeyMigration.MigrateAsync(tables, default);

        var after = await RowsAsync();
        Assert.Equal(expected, after);
        Assert.Equal(old.Count, moved);
        Assert.Contains(after, r => r.StartsWith("Organizations/o-a/o-a|ChangedTicks:Int64=", StringComparison.Ordinal));
        Assert.Equal(3, after.Count(r => r.StartsWith("Organizations/o-a/~h|o-a|", StringComparison.Ordinal)));
        Assert.Equal(2, after.Count(r => r.StartsWith("Organizations/o-gone/~h|o-gone|", StringComparison.Ordinal)));
        Assert.All(after.Where(r => r.Contains("/~h|", StringComparison.Ordinal)), r => Assert.Contains("|Ticks:Int64=", r, StringComparison.Ordinal));

        // Read as the app reads them.
        Assert.Equal("Zone A", (await tables.Zones.FindMainAsync("z-a", default))!.ReadDocument<Zone>().Name);
        Assert.Equal("Third", (await tables.Organizations.FindMainAsync("o-a", default))!.ReadDocument<Organization>().Name);

        var versions = await VersionsAsync();
        Assert.Equal(0, await MainKeyMigration.MigrateAsync(tables, default));
        Assert.Equal(versions, await VersionsAsync());
    }

    [Fact]
    public async Task ARunCutOffPartWayIsFinishedByTheNext()
    {
        await SeedAsync();
        var expected = await RowsAsync();
        var history = new List<TableEntity>();
        await foreach (var row in tables.Organizations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"o-a"}")))
        {
            history.Add(row);
        }

        Assert.Equal(4, history.Count);

        // o-a as a cut-off run could leave it, and more: its newest history row moved, the next at both keys,
        // the oldest and the live row at their old keys only.
        history = [.. history.Where(r => r.RowKey != "o-a").OrderBy(r => r.RowKey, StringComparer.Ordinal)];
        await tables.Organizations.AddEntityAsync(Old(history[1]));
        foreach (var row in history.Skip(2).Append((await tables.Organizations.FindMainAsync("o-a", default))!))
        {
            await tables.Organizations.AddEntityAsync(Old(row));
            await tables.Organizations.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag);
        }

        Assert.Equal(3, await MainKeyMigration.MigrateAsync(tables, default));
        Assert.Equal(expected, await RowsAsync());
        Assert.Equal(0, await MainKeyMigration.MigrateAsync(tables, default));
    }

    [Fact]
    public async Task OfOldAndNewLiveRowsTheOneWrittenLastStays()
    {
        await SeedAsync();
        var stored = (await tables.Zones.FindMainAsync("z-a", default))!;
        var expected = await RowsAsync();

        // Written at the old key before the row at the new key (a write under the new key, the old one not yet moved): the new one stays.
        var older = Old(stored);
        older[TableReads.DocumentProperty] = stored.GetString(TableReads.DocumentProperty)!.Replace("Zone A", "Zone A before", StringComparison.Ordinal);
        await tables.Zones.AddEntityAsync(older);
        await Task.Delay(20);
        await tables.Zones.UpsertEntityAsync(OldKeyRows.Copy(stored, stored.RowKey), TableUpdateMode.Replace);
        Assert.Equal(1, await MainKeyMigration.MigrateAsync(tables.Zones, default));
        Assert.Equal(expected, await RowsAsync());

        // Written at the old key last (by an instance still on the old key): it replaces the one at the new key.
        var later = Old(stored);
        later[TableReads.DocumentProperty] = stored.GetString(TableReads.DocumentProperty)!.Replace("Zone A", "Zone A later", StringComparison.Ordinal);
        await Task.Delay(20);
        await tables.Zones.AddEntityAsync(later);
        Assert.Equal(1, await MainKeyMigration.MigrateAsync(tables.Zones, default));
        var zone = (await tables.Zones.FindMainAsync("z-a", default))!;
        Assert.Equal("Zone A later", zone.ReadDocument<Zone>().Name);
        Assert.Equal(stored.GetInt64(ChangeLog.ChangedTicksProperty), zone.GetInt64(ChangeLog.ChangedTicksProperty));
        Assert.Null(await tables.Zones.FindAsync("z-a", MainKeyMigration.OldRowKey, default));
    }

    [Fact]
    public async Task APartitionTooLargeForOneTransactionMovesInSeveralAndTheLiveRowLast()
    {
        await tables.Organizations.AddEntityAsync(new TableEntity("big", "") { [TableReads.DocumentProperty] = "{}", [ChangeLog.ChangedTicksProperty] = 250L });
        var actions = Enumerable.Range(1, 250).Select(i => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity("big", ChangeLog.HistoryRowKey("", i)) { [TableReads.DocumentProperty] = "change " + i, [ChangeLog.TicksProperty] = (long)i, [ChangeLog.PublishedProperty] = true }));
        await Batches.SubmitAsync(tables.Organizations, actions, default);

        Assert.Equal(251, await MainKeyMigration.MigrateAsync(tables, default));

        var rows = new List<TableEntity>();
        await foreach (var row in tables.Organizations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"big"}")))
        {
            rows.Add(row);
        }

        Assert.Equal(["big", .. Enumerable.Range(1, 250).Select(i => ChangeLog.HistoryRowKey("big", i)).Order(StringComparer.Ordinal)], rows.Select(r => r.RowKey));
        Assert.Equal(250L, rows[0].GetInt64(ChangeLog.ChangedTicksProperty));
        Assert.All(rows.Skip(1), r => Assert.Equal("change " + r.GetInt64(ChangeLog.TicksProperty), r.GetString(TableReads.DocumentProperty)));
    }

    [Fact]
    public async Task TablesThatDoNotExistYetHaveNothingToMove()
    {
        await tables.DeleteAllAsync();
        Assert.Equal(0, await MainKeyMigration.MigrateAsync(tables, default));
    }

    [Fact]
    public async Task TheFullRunMovesOldRowsBeforeItReadsThem()
    {
        await SeedAsync();
        await DowngradeAsync();
        var dirty = new DirtyScopes(tables, TimeProvider.System);
        var run = await new AggregatesRecompute(tables, dirty, TimeProvider.System, NullLogger<AggregatesRecompute>.Instance).RunFullAsync(default);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Null(await tables.Zones.FindAsync("z-a", MainKeyMigration.OldRowKey, default));
        Assert.Equal("Third", (await tables.Organizations.FindMainAsync("o-a", default))!.ReadDocument<Organization>().Name);

        // It computed the stats from the moved rows: z-a's aggregate counts o-a.
        var aggregate = await tables.Aggregates.FindAsync(AggregateRecords.Partition(ScopeKind.Zone), "z-a", default);
        Assert.NotNull(aggregate);
        Assert.Equal(0, run.IndexEntriesRepaired.Total);
    }
}

/// <summary>Rows of main tables as storage written before RowKey = id holds them.</summary>
public static class OldKeyRows
{
    /// <summary>The former key of a row stored now: the live row's "", a history row's <c>~h||{ticks}</c>.</summary>
    private static string OldKey(string partitionKey, string rowKey) =>
        rowKey == partitionKey ? "" : ChangeLog.HistoryPrefix("") + rowKey[ChangeLog.HistoryPrefix(partitionKey).Length..];

    /// <summary>A row as the former key stored it: the same properties under <see cref="OldKey"/>.</summary>
    public static TableEntity Old(TableEntity row) => Copy(row, OldKey(row.PartitionKey, row.RowKey));

    /// <summary>The row's properties (not what storage stamps) under <paramref name="rowKey"/>.</summary>
    public static TableEntity Copy(TableEntity row, string rowKey)
    {
        var copy = new TableEntity(row.PartitionKey, rowKey);
        foreach (var property in row.Where(p => p.Key is not ("Timestamp" or "odata.etag" or "PartitionKey" or "RowKey")))
        {
            copy[property.Key] = property.Value;
        }

        return copy;
    }

    /// <summary>Rewrites every row of <paramref name="mainTables"/> (of <paramref name="partitions"/>, when given) under its former key, as storage written before the change holds it.</summary>
    public static async Task DowngradeAsync(IEnumerable<TableClient> mainTables, params string[] partitions)
    {
        foreach (var table in mainTables)
        {
            var rows = new List<TableEntity>();
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                rows.Add(entity);
            }

            foreach (var row in rows.Where(r => partitions.Length == 0 || partitions.Contains(r.PartitionKey)))
            {
                await table.AddEntityAsync(Old(row));
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag);
            }
        }
    }
}

/// <summary>Over HTTP: entities and their history stored under the former key read as before once the full run has moved them.</summary>
[Trait("Category", Tier.Host)]
public sealed class MainKeyMigrationApiTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task SendAsync(HttpRequestMessage request, int expected)
    {
        using (request)
        using (var response = await server.Client.SendAsync(request))
        {
            Assert.True((int)response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<string> HistoryAsync(string path) =>
        new System.Text.Json.Nodes.JsonArray([.. (await server.GetAllPagesAsync(path + "/history?maxpagesize=2")).SelectMany(p => p).Select(c => c!.DeepClone())]).ToJsonString();

    /// <summary>The status of a GET that reads storage, not the host's read cache: the rows change outside the host here.</summary>
    private async Task<int> StatusAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        using var response = await server.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task AZoneAndAnOrganizationStoredUnderTheFormerKeyReadAsBeforeAfterTheFullRun()
    {
        const string zone = "api/v1/zones/migrated-zone", organization = "api/v1/organizations/migrated-organization";
        await SendAsync(WriteRequests.Put(zone, WriteRequests.Zone("Migrated")), 201);
        await SendAsync(WriteRequests.Patch(zone, """{"district": "Chaoyang"}"""), 200);
        await SendAsync(WriteRequests.Put(organization, WriteRequests.Organization("Migrated")), 201);
        await SendAsync(WriteRequests.Patch(organization, """{"name": "Migrated again"}"""), 200);
        var zoneBefore = (await server.GetJsonAsync(zone)).ToJsonString();
        var organizationBefore = (await server.GetJsonAsync(organization)).ToJsonString();
        var zoneHistory = await HistoryAsync(zone);
        var organizationHistory = await HistoryAsync(organization);
        Assert.Contains("Migrated again", organizationBefore, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(organizationHistory)!.AsArray().Count);

        await OldKeyRows.DowngradeAsync(server.Tables.Main, "migrated-zone", "migrated-organization");
        Assert.Equal(404, await StatusAsync(zone));
        Assert.NotNull(await server.Tables.Organizations.FindAsync("migrated-organization", MainKeyMigration.OldRowKey, default));

        var recompute = server.Services.GetRequiredService<AggregatesRecompute>();
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(default)).Status);

        Assert.Equal(zoneBefore, (await server.GetJsonAsync(zone, fresh: true)).ToJsonString());
        Assert.Equal(organizationBefore, (await server.GetJsonAsync(organization, fresh: true)).ToJsonString());
        Assert.Equal(zoneHistory, await HistoryAsync(zone));
        Assert.Equal(organizationHistory, await HistoryAsync(organization));
        Assert.Contains("migrated-organization", await server.IdsAsync("api/v1/organizations?namePrefix=migrated"));
        Assert.Null(await server.Tables.Organizations.FindAsync("migrated-organization", MainKeyMigration.OldRowKey, default));

        // Once moved, a write finds the entity where it is now.
        await SendAsync(WriteRequests.Patch(organization, """{"name": "Migrated thrice"}"""), 200);
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(await HistoryAsync(organization))!.AsArray().Count);
    }
}

using Azure;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// A write cut off between a main entity and its index entities (what an outage does to an import) is
/// completed when the same data is written again: the main entity alone does not make it "unchanged".
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class InterruptedWriteTests : IAsyncLifetime
{
    private readonly Tables tables = AzuriteFixture.NewTables();
    private readonly Tables reference = AzuriteFixture.NewTables();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await tables.DeleteAllAsync();
        await reference.DeleteAllAsync();
    }

    private static Task<ImportReport> ImportAsync(Tables into, Dataset dataset) =>
        new DatasetImporter(into, new DirtyScopes(into, TimeProvider.System), NullLogger<DatasetImporter>.Instance).ImportAsync(dataset);

    [Fact]
    public async Task IndexEntitiesMissingOrOlderThanTheirMainEntityAreWrittenByTheNextImport()
    {
        var dataset = GeneratedData.CityWithOrganizations("cut-city", "cut-zone", 4);
        await ImportAsync(reference, dataset);
        await ImportAsync(tables, dataset);
        var complete = await TableSnapshot.ContentAsync(reference, "DirtyScopes");

        // Cut off after the main entity: one organization's index entities are not there; another's were
        // all written but its sentinel (its greatest key, written last), which still holds the document
        // before the write.
        foreach (var entity in await IndexOfAsync("cut-zone-org-0001"))
        {
            await tables.OrganizationIndex.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All);
        }

        var older = (await IndexOfAsync("cut-zone-org-0002")).OrderBy(e => e.PartitionKey, StringComparer.Ordinal).ThenBy(e => e.RowKey, StringComparer.Ordinal).Last();
        older[TableReads.DocumentProperty] = older.GetString(TableReads.DocumentProperty)!.Replace("Generated", "Older", StringComparison.Ordinal);
        await tables.OrganizationIndex.UpsertEntityAsync(older, TableUpdateMode.Replace);
        Assert.NotEqual(complete, await TableSnapshot.ContentAsync(tables, "DirtyScopes"));

        var again = await ImportAsync(tables, dataset);
        Assert.Equal((0, 2, 2), (again.Counts["organizations"].Created, again.Counts["organizations"].Updated, again.Counts["organizations"].Unchanged));
        Assert.Equal(complete, await TableSnapshot.ContentAsync(tables, "DirtyScopes"));

        // Now complete, it is unchanged.
        var third = await ImportAsync(tables, dataset);
        Assert.Equal(0, third.Created + third.Updated);
    }

    private async Task<List<TableEntity>> IndexOfAsync(string organizationId)
    {
        var main = await tables.Organizations.FindAsync(organizationId, Keys.MainRowKey(organizationId), CancellationToken.None);
        var keys = IndexedDocuments.ReadIndexKeys(main!);
        var entities = new List<TableEntity>();
        foreach (var key in keys)
        {
            entities.Add((await tables.OrganizationIndex.FindAsync(key.PartitionKey, key.RowKey, CancellationToken.None))!);
        }

        return entities;
    }
}

using InnovationZones.Aggregates;
using InnovationZones.Benchmarks;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Benchmarks;

/// <summary>The import benchmark's baseline does the same work: the raw loader stores what the importer stores.</summary>
[Trait("Category", Tier.Storage)]
public sealed class RawLoaderTests
{
    [Fact]
    public async Task The_raw_loader_stores_exactly_the_entities_the_importer_stores()
    {
        var imported = AzuriteFixture.NewTables();
        var loaded = AzuriteFixture.NewTables();
        try
        {
            // Several datasets that repeat the vocabularies, cities and zones, as the benchmarks load them.
            var chunks = SyntheticData.Chunks(120, chunkSize: 50).ToList();
            var importer = new DatasetImporter(imported, new DirtyScopes(imported, TimeProvider.System), NullLogger<DatasetImporter>.Instance);
            foreach (var chunk in chunks)
            {
                await importer.ImportAsync(chunk);
            }

            var written = await new RawLoader(loaded).LoadAsync(chunks);

            var expected = await TableSnapshot.ContentsAsync(imported, RawLoader.DataTables);
            var actual = await TableSnapshot.ContentsAsync(loaded, RawLoader.DataTables);
            Assert.True(expected.Count > 1_000, $"{expected.Count} entities");
            Assert.Equal(expected.Count, written);
            Assert.Equal(expected, actual);
            Assert.Contains(expected, row => row.StartsWith("OrganizationIndex|", StringComparison.Ordinal) && row.Contains("PartitionKey:String=zone|zone-fixed", StringComparison.Ordinal));
            Assert.NotEmpty(await TableSnapshot.ContentsAsync(imported, ["DirtyScopes"]));
            Assert.Empty(await TableSnapshot.ContentsAsync(loaded, ["DirtyScopes"]));
        }
        finally
        {
            await imported.DeleteAllAsync();
            await loaded.DeleteAllAsync();
        }
    }

    [Fact]
    public void The_raw_loader_refuses_to_index_an_organization_from_another_dataset()
    {
        var relation = new Relation(new EntityRef(EntityKind.Organization, "org-elsewhere"), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, "zone-00000"), new SourceRef("synthetic", null, null));
        var error = Assert.Throws<InvalidOperationException>(() => RawLoader.Entities(new Dataset(Relations: [relation])).ToList());
        Assert.Contains("org-elsewhere", error.Message, StringComparison.Ordinal);
    }
}

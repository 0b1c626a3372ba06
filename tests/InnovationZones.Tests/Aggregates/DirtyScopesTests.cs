using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace InnovationZones.Tests.Aggregates;

/// <summary>Writes mark the scopes they touch, before and after the write, in the DirtyScopes table.</summary>
[Trait("Category", Tier.Storage)]
public sealed class DirtyScopesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly Tables tables = AzuriteFixture.NewTables();
    private readonly DirtyScopes dirty;

    public DirtyScopesTests() => dirty = new DirtyScopes(tables, new FakeTimeProvider(Now));

    public Task InitializeAsync() => tables.CreateIfNotExistsAsync();

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private async Task<List<string>> MarkedAsync()
    {
        var marked = new List<string>();
        await foreach (var e in tables.DirtyScopes.QueryAsync<TableEntity>())
        {
            Assert.Equal(Now, e.GetDateTimeOffset(DirtyScopes.MarkedAtProperty));
            marked.Add(e.PartitionKey + "|" + e.RowKey);
        }

        marked.Sort(StringComparer.Ordinal);
        return marked;
    }

    [Fact]
    public async Task MovingAZoneToAnotherCityMarksBothCitiesAndEveryIndustry()
    {
        var before = new Zone("z", "Z", "beijing", ZoneKind.ScienceCity, null, null, ["ai"], null, null, null);
        var after = before with { CityId = "shanghai", FocusIndustries = ["ai", "biotech"] };

        await dirty.ZoneChangedAsync(before, after, CancellationToken.None);

        Assert.Equal(["city|beijing", "city|shanghai", "industry|ai", "industry|biotech", "zone|z"], await MarkedAsync());
    }

    [Fact]
    public async Task DeletingAnOrganizationMarksItsTypeAndIndustries()
    {
        var gone = new Organization("o", "O", null, OrganizationType.ResearchInstitute, null, null, ["ai"], null);

        await dirty.OrganizationChangedAsync(gone, null, CancellationToken.None);

        Assert.Equal(["industry|ai", "organization-type|research-institute", "organization|o"], await MarkedAsync());
    }

    [Fact]
    public async Task MovingAnOrganizationsHeadquartersMarksBothCities()
    {
        var before = new Organization("o", "O", null, null, new Headquarters("beijing", "Beijing", "China"), null, null, null);
        var after = before with { Headquarters = new Headquarters("shanghai", "Shanghai", "China") };

        await dirty.OrganizationChangedAsync(before, after, CancellationToken.None);

        Assert.Equal(["city|beijing", "city|shanghai", "organization|o"], await MarkedAsync());
    }

    [Fact]
    public async Task ARelationMarksBothEnds()
    {
        var relation = new Relation(new EntityRef(EntityKind.Organization, "a"), RelationType.LocatedIn,
            new EntityRef(EntityKind.Zone, "z"), new SourceRef("doc"));

        await dirty.RelationChangedAsync(null, relation, CancellationToken.None);
        await dirty.RelationChangedAsync(relation, null, CancellationToken.None);

        Assert.Equal(["organization|a", "zone|z"], await MarkedAsync());
    }
}

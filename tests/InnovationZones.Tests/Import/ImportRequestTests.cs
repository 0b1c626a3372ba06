using System.Globalization;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace InnovationZones.Tests.Import;

/// <summary>
/// What a bulk import costs in storage round trips, counted at the HTTP transport (every request,
/// retries and transactions included). Set <c>IMPORT_REQUESTS_ORGANIZATIONS</c> to measure a larger
/// dataset with the same test: the figures are written to the test output.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class ImportRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CountingTransport requests = new();
    private readonly CountingTransport marks = new();
    private Tables tables = null!;
    private DatasetImporter importer = null!;

    /// <summary>The importer's own requests and the aggregates' marks (DirtyScopes, written together after each kind of entity) are counted apart.</summary>
    public Task InitializeAsync()
    {
        var options = AzuriteFixture.NewStorageOptions();
        tables = AzuriteFixture.NewTables(options, requests);
        var markTables = AzuriteFixture.NewTables(options, marks);
        importer = new DatasetImporter(tables, new DirtyScopes(markTables, TimeProvider.System), NullLogger<DatasetImporter>.Instance);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => tables.DeleteAllAsync();

    private static int Organizations =>
        int.TryParse(Environment.GetEnvironmentVariable("IMPORT_REQUESTS_ORGANIZATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 300;

    [Fact]
    public async Task AFreshImportCostsAboutOneRequestPerOrganizationAndItsRelationsAndAReImportAFewQueries()
    {
        var organizations = Organizations;
        var dataset = SyntheticDataset(organizations);
        var (first, fresh, freshMarks, freshTime) = await MeasureAsync(dataset);
        var snapshot = await TableSnapshot.TakeAsync(tables);
        var (second, again, againMarks, againTime) = await MeasureAsync(dataset);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{organizations} organizations, {dataset.Relations!.Count} relations, {dataset.Zones!.Count} zones: fresh import {fresh} requests ({fresh * 1000.0 / organizations:F0} per 1,000 organizations) + {freshMarks} marks in {freshTime.TotalSeconds:F1} s; re-import {again} requests ({again * 1000.0 / organizations:F0} per 1,000) + {againMarks} marks in {againTime.TotalSeconds:F1} s"));
        // Each organization is its own partition: one insert of its main entity and one transaction of the
        // relations at its end (every organization here has one). Everything else is shared by many
        // entities: index entities and far-end relation rows go up to 100 to a transaction, one at least for
        // each index partition that a round of 1,000 organizations touches (each zone, in each round, the
        // most numerous), and reads are a query per kind of partition; a fifth of a request per organization
        // and 40 fixed ones (11 table creations among them) cover the rest. One more round trip per
        // organization (a read, a query, a transaction of its own index entities) breaks the bound.
        // History adds no request to the writes (each history row shares its entity's transaction) and
        // marks nothing afterwards; the feed takes the changes 100 to a transaction.
        var rounds = (organizations + IndexedDocuments.Round - 1) / IndexedDocuments.Round;
        var changes = organizations + dataset.Relations.Count + dataset.Zones.Count + (dataset.Cities?.Count ?? 0) + (dataset.Industries?.Count ?? 0) + (dataset.Documents?.Count ?? 0);
        Assert.InRange(fresh, 2 * organizations, (2 * organizations) + (dataset.Zones.Count * rounds) + (organizations / 5) + (changes / 100) + 40);

        // The marks of what changed are held and written after each kind of entity (four times), in
        // transactions of up to 100 per scope kind: one per 100 organizations, and a few for the other kinds
        // each time; one mark request per changed entity breaks the bound.
        Assert.InRange(freshMarks, 1, (organizations / 100) + (4 * 5) + 5);

        // Nothing changed, so nothing is written: the same reads, of 1,000 rows a page, and one point read
        // of each indexed entity's sentinel (its last index entity: an import cut off before it was written
        // is completed by the next).
        var indexed = organizations + dataset.Zones.Count;
        Assert.InRange(again, indexed, indexed + 40 + (organizations / 50));
        Assert.Equal(0, againMarks);
        Assert.Equal(organizations, first.Counts["organizations"].Created);
        Assert.Equal(0, second.Created + second.Updated);
        Assert.Equal(first.Created, second.Unchanged);
        Assert.Equal(snapshot, await TableSnapshot.TakeAsync(tables));
    }

    private static readonly string[] Indicators = ["patents", "unicorns"];

    private async Task<(ImportReport Report, int Requests, int Marks, TimeSpan Time)> MeasureAsync(Dataset dataset)
    {
        requests.Reset();
        marks.Reset();
        var started = TimeProvider.System.GetTimestamp();
        var report = await importer.ImportAsync(dataset);
        return (report, requests.Count, marks.Count, TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>
    /// Like the benchmark's data, smaller: one zone per 50 organizations, five industries, every type;
    /// each organization in one zone (one in ten in two), one in twenty initiated by the first; two
    /// indicators per zone.
    /// </summary>
    private static Dataset SyntheticDataset(int organizations)
    {
        var zones = Math.Max(2, organizations / 50);
        string[] industries = ["ai", "biotech", "chips", "energy", "robotics"];
        var source = new SourceRef("synthetic", null, "generated");
        var types = Enum.GetValues<OrganizationType>();
        static string ZoneId(int z) => "zone-" + z.ToString("D4", CultureInfo.InvariantCulture);
        static string OrganizationId(int i) => "org-" + i.ToString("D6", CultureInfo.InvariantCulture);
        var orgs = Enumerable.Range(0, organizations).Select(i => new Organization(
            OrganizationId(i), "Organization " + i.ToString("D6", CultureInfo.InvariantCulture), null,
            i % 8 == 0 ? null : types[i % types.Length], null, null,
            i % 3 == 0 ? [industries[i % 5], industries[(i + 2) % 5]] : [industries[i % 5]], null)).ToList();
        var relations = orgs.SelectMany((o, i) => new[]
        {
            new Relation(new EntityRef(EntityKind.Organization, o.Id), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, ZoneId(i % zones)), source),
            i % 10 == 0 ? new Relation(new EntityRef(EntityKind.Organization, o.Id), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, ZoneId((i + 1) % zones)), source) : null,
            i % 20 == 5 ? new Relation(new EntityRef(EntityKind.Organization, o.Id), RelationType.InitiatedBy, new EntityRef(EntityKind.Organization, OrganizationId(0)), source) : null,
        }).OfType<Relation>().ToList();
        return new Dataset(
            Documents: [new SourceDocument("synthetic", "Synthetic data", null, null)],
            Industries: [.. industries.Select(i => new Industry(i, i))],
            Cities: [new City("city-a", "City A", null, null, null), new City("city-b", "City B", null, null, null)],
            Zones: [.. Enumerable.Range(0, zones).Select(z => new Zone(ZoneId(z), "Zone " + z, z % 2 == 0 ? "city-a" : "city-b", (ZoneKind)(z % 5), null, null, [industries[z % 5]], null, null, null))],
            Organizations: orgs,
            Relations: relations,
            Metrics: [.. Enumerable.Range(0, zones).SelectMany(z => Indicators.Select(indicator => new MetricObservation(
                new EntityRef(EntityKind.Zone, ZoneId(z)), indicator, indicator, new Period("2024", PeriodKind.Year, null), z, null, "count", Qualifier.Exact, null, null, null, source)))]);
    }
}

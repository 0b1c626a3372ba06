using System.Globalization;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Deterministic synthetic datasets (fixed seed): one zone per 100 organizations, ten zones per city,
/// twenty industries; each organization has a type (one in eight has none), one or two industries, is
/// located in one zone (one in ten in a second), and one in twenty initiated another; each zone has two
/// indicators over two years. One more zone, <see cref="FixedZoneId"/>, holds the first
/// <see cref="FixedZoneMembers"/> organizations whatever the size, so a filter on it returns as many at
/// 1,000 as at 100,000 organizations. Loaded in chunks, so no chunk is larger than the import takes at once.
/// </summary>
internal static class SyntheticData
{
    public const int Seed = 20261128;
    private const string Document = "synthetic";
    private static readonly SourceRef Source = new(Document, null, "generated");
    private static readonly string[] Years = ["2021", "2022"];

    /// <summary>A zone of the same size at every size: the first <see cref="FixedZoneMembers"/> organizations are located in it too.</summary>
    public const string FixedZoneId = "zone-fixed";

    public const int FixedZoneMembers = 100;

    public static string ZoneId(int i) => "zone-" + i.ToString("D5", CultureInfo.InvariantCulture);

    public static string OrganizationId(int i) => "org-" + i.ToString("D7", CultureInfo.InvariantCulture);

    public static IEnumerable<Dataset> Chunks(int organizations, int chunkSize = 2_000)
    {
        var random = new Random(Seed);
        var zones = Math.Max(4, organizations / 100);
        var cities = Math.Max(1, zones / 10);
        var industries = Enumerable.Range(0, 20).Select(i => "industry-" + i.ToString("D2", CultureInfo.InvariantCulture)).ToArray();
        var types = Enum.GetValues<OrganizationType>();

        List<City> cityList = [.. Enumerable.Range(0, cities).Select(c => new City("city-" + c.ToString("D4", CultureInfo.InvariantCulture), "City " + c, null, null, null))];
        List<Zone> zoneList = [.. Enumerable.Range(0, zones).Select(z => new Zone(
            ZoneId(z), "Zone " + z, "city-" + (z % cities).ToString("D4", CultureInfo.InvariantCulture), (ZoneKind)(z % 5), null,
            z % 3 == 0 ? null : new Quantity(random.Next(100, 100_000) / 100m, "km2", z % 7 == 0 ? Qualifier.About : Qualifier.Exact, Source),
            [.. new[] { industries[z % industries.Length], industries[(z * 7 + 3) % industries.Length] }.Distinct()], null, null, null))];
        zoneList.Add(new Zone(FixedZoneId, "Fixed-size zone", cityList[0].Id, ZoneKind.HighTechZone, null, null, [industries[0]], null, null, null));
        yield return new Dataset(
            Documents: [new SourceDocument(Document, "Synthetic benchmark data", null, null)],
            Industries: [.. industries.Select(i => new Industry(i, i))],
            Cities: cityList,
            Zones: zoneList,
            Metrics: [.. Enumerable.Range(0, zones).SelectMany(z => Years.SelectMany(year => new[]
            {
                Metric(ZoneId(z), "rd-expenditure", year, random.Next(1_000, 100_000) / 100m, "billion-cny"),
                Metric(ZoneId(z), "unicorns", year, random.Next(0, 60), "count"),
            }))]);

        for (var start = 0; start < organizations; start += chunkSize)
        {
            var end = Math.Min(organizations, start + chunkSize);
            var chunk = Enumerable.Range(start, end - start).Select(i => new Organization(
                OrganizationId(i), "Organization " + i.ToString("D7", CultureInfo.InvariantCulture), null,
                i % 8 == 0 ? null : types[random.Next(types.Length)], null, null,
                random.Next(3) == 0 ? [.. new[] { industries[random.Next(industries.Length)], industries[random.Next(industries.Length)] }.Distinct()] : [industries[random.Next(industries.Length)]],
                null)).ToList();
            var relations = new List<Relation>();
            foreach (var organization in chunk)
            {
                var from = new EntityRef(EntityKind.Organization, organization.Id);
                relations.Add(new Relation(from, RelationType.LocatedIn, new EntityRef(EntityKind.Zone, ZoneId(random.Next(zones))), Source));
                if (random.Next(10) == 0)
                {
                    relations.Add(new Relation(from, RelationType.LocatedIn, new EntityRef(EntityKind.Zone, ZoneId(random.Next(zones))), Source));
                }

                if (string.CompareOrdinal(organization.Id, OrganizationId(FixedZoneMembers)) < 0)
                {
                    relations.Add(new Relation(from, RelationType.LocatedIn, new EntityRef(EntityKind.Zone, FixedZoneId), Source));
                }

                if (random.Next(20) == 0 && organization.Id != chunk[0].Id)
                {
                    relations.Add(new Relation(from, RelationType.InitiatedBy, new EntityRef(EntityKind.Organization, chunk[0].Id), Source));
                }
            }

            // The vocabularies, cities and zones ride along (unchanged, so not written) so that the import
            // resolves every reference within the dataset rather than with a lookup each.
            yield return new Dataset(
                Documents: [new SourceDocument(Document, "Synthetic benchmark data", null, null)],
                Industries: [.. industries.Select(i => new Industry(i, i))],
                Cities: cityList,
                Zones: zoneList,
                Organizations: chunk,
                Relations: [.. relations.DistinctBy(r => (r.From.Id, r.Type, r.To.Id))]);
        }
    }

    private static MetricObservation Metric(string zone, string indicator, string year, decimal value, string unit) =>
        new(new EntityRef(EntityKind.Zone, zone), indicator, indicator, new Period(year, PeriodKind.Year, null), value, null, unit, Qualifier.Exact, null, null, null, Source);
}

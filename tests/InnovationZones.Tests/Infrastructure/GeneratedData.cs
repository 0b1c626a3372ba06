using System.Globalization;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>Small generated datasets: a city with one zone and N organizations located in it.</summary>
public static class GeneratedData
{
    public const string DocumentId = "generated";

    public static SourceRef Source(string locator) => new(DocumentId, null, locator);

    public static Dataset CityWithOrganizations(string cityId, string zoneId, int organizations, string industry = "robotics")
    {
        var orgs = Enumerable.Range(0, organizations)
            .Select(i => new Organization(
                $"{zoneId}-org-{i.ToString("D4", CultureInfo.InvariantCulture)}",
                $"Generated Organization {i.ToString("D4", CultureInfo.InvariantCulture)}",
                null,
                i % 2 == 0 ? OrganizationType.Company : OrganizationType.ResearchInstitute,
                new Headquarters(cityId, null, null),
                new DateOnly(2000 + (i % 20), 1, 1),
                i % 3 == 0 ? [industry] : null,
                null))
            .ToList();
        return new Dataset(
            Documents: [new SourceDocument(DocumentId, "Generated test data", null, null)],
            Industries: [new Industry(industry, "Robotics")],
            Cities: [new City(cityId, "Generated City", "Nowhere", null, null)],
            Zones: [new Zone(zoneId, "Generated Zone", cityId, ZoneKind.HighTechZone, "Central", new Quantity(12.5m, "km2", Qualifier.About, Source("generator")), [industry], null, null, null)],
            Organizations: orgs,
            Relations: [.. orgs.Select(o => new Relation(new EntityRef(EntityKind.Organization, o.Id), RelationType.LocatedIn, new EntityRef(EntityKind.Zone, zoneId), Source("generator")))]);
    }
}

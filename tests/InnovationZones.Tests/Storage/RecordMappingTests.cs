using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Storage;

/// <summary>How entities map to table rows: keys, index copies and the stored JSON.</summary>
[Trait("Category", Tier.Unit)]
public sealed class RecordMappingTests
{
    private static readonly SourceRef Source = new("doc", "quote", null);

    private static Zone Zone(params string[] industries) => new(
        "test-zone", "Test Zone", "test-city", ZoneKind.ScienceCity, null, null, industries, null, null, null);

    [Fact]
    public void AZoneIsIndexedUnderItsCityKindAndEachIndustryWithFlags()
    {
        var zone = Zone("blockchain", "quantum-information");
        var entities = ZoneIndex.Entities(zone, ApiJson.Serialize(zone));

        Assert.Equal(
            ["city|test-city", "industry|blockchain", "industry|quantum-information", "kind|science-city"],
            entities.Select(e => e.PartitionKey).Order(StringComparer.Ordinal));
        Assert.All(entities, e =>
        {
            Assert.Equal("test-zone", e.RowKey);
            Assert.Equal("test-city", e.GetString("CityId"));
            Assert.Equal("science-city", e.GetString("Kind"));
            Assert.True(e.GetBoolean("i_blockchain"));
            Assert.True(e.GetBoolean("i_quantum_information"));
            Assert.Equal(zone, e.ReadDocument<Zone>() with { FocusIndustries = zone.FocusIndustries });
        });
    }

    [Fact]
    public void AnOrganizationWithoutTypeOrIndustriesIsStillFoundByName()
    {
        var organization = new Organization("cncert", "National Computer Network Emergency Response Technical Team/Coordination Center of China", "CNCERT", null, null, null, null, null);
        var entity = Assert.Single(OrganizationIndex.Entities(organization, ApiJson.Serialize(organization), []));

        Assert.Equal("name", entity.PartitionKey);
        Assert.Equal("national computer network emergency response technical team%2Fcoordination center of china|cncert", entity.RowKey);
        Assert.Null(entity.GetString("Type"));
    }

    [Fact]
    public void AnOrganizationIsIndexedUnderTypeIndustriesZonesCitiesAndName()
    {
        var organization = new Organization("acme", "Acme", null, OrganizationType.Company, new Headquarters("north", "North", null), null, ["robotics"], null);
        var entities = OrganizationIndex.Entities(organization, ApiJson.Serialize(organization), [new("zone-a", "north"), new("zone-b", "south")]);

        Assert.Equal(
            ["city|north", "city|south", "industry|robotics", "name", "type|company", "zone|zone-a", "zone|zone-b"],
            entities.Select(e => e.PartitionKey).Order(StringComparer.Ordinal));
        Assert.All(entities, e =>
        {
            Assert.Equal("company", e.GetString("Type"));
            Assert.Equal("acme", e.GetString("NameKey"));
            Assert.True(e.GetBoolean("z_zone_a"));
            Assert.True(e.GetBoolean("z_zone_b"));
            Assert.True(e.GetBoolean("i_robotics"));
            Assert.True(e.GetBoolean("c_north"));
            Assert.True(e.GetBoolean("c_south"));
        });
        var membership = entities.Where(e => e.PartitionKey.StartsWith("city|", StringComparison.Ordinal))
            .ToDictionary(e => e.PartitionKey, e => e.GetString("Membership"));
        Assert.Equal("headquartered,located-in-zone", membership["city|north"]);
        Assert.Equal("located-in-zone", membership["city|south"]);
        Assert.All(entities.Where(e => !e.PartitionKey.StartsWith("city|", StringComparison.Ordinal)), e => Assert.Null(e.GetString("Membership")));
    }

    [Fact]
    public void AnOrganizationHeadquarteredInACityWithoutZonesThereBelongsToItAsHeadquartered()
    {
        var organization = new Organization("wic", "World Internet Conference", null, null, new Headquarters("beijing", "Beijing", "China"), null, null, null);
        var entities = OrganizationIndex.Entities(organization, ApiJson.Serialize(organization), [new("zone-x", "shanghai")]);

        var beijing = Assert.Single(entities, e => e.PartitionKey == "city|beijing");
        Assert.Equal("wic", beijing.RowKey);
        Assert.Equal([CityMembership.Headquartered], OrganizationIndex.ReadMembership(beijing));
        Assert.Equal([CityMembership.LocatedInZone], OrganizationIndex.ReadMembership(Assert.Single(entities, e => e.PartitionKey == "city|shanghai")));
        var member = OrganizationIndex.CityMember(beijing);
        Assert.Equal(ApiJson.Serialize(organization)[..^1] + ",\"membership\":[\"headquartered\"]}", ApiJson.Serialize(member));
    }

    [Fact]
    public void ARelationIsStoredAtBothEndsAndReadAsSeenFromEach()
    {
        var relation = new Relation(new EntityRef(EntityKind.Organization, "wic"), RelationType.InitiatedBy, new EntityRef(EntityKind.Organization, "gsma"), Source);
        var (outgoing, incoming) = RelationRecords.Entities(relation);

        Assert.Equal(("organization|wic", "out|initiated-by|organization|gsma"), (outgoing.PartitionKey, outgoing.RowKey));
        Assert.Equal(("organization|gsma", "in|initiated-by|organization|wic"), (incoming.PartitionKey, incoming.RowKey));
        Assert.Equal(RelationDirection.Outgoing, RelationRecords.View(outgoing).Direction);
        Assert.Equal(RelationDirection.Incoming, RelationRecords.View(incoming).Direction);
        Assert.Equal(relation.To, RelationRecords.View(incoming).To);
        Assert.StartsWith(RelationRecords.RowPrefix(RelationDirection.Outgoing, RelationType.InitiatedBy), outgoing.RowKey, StringComparison.Ordinal);
    }

    [Fact]
    public void AMetricObservationIsKeyedByScopeIndicatorAndPeriod()
    {
        var observation = new MetricObservation(
            new EntityRef(EntityKind.Zone, "zgc"), "rd-expenditure", "R&D", new Period("2021", PeriodKind.Year, null),
            239.30m, null, "billion-cny", Qualifier.Exact, null, null, null, Source);
        var entity = MetricRecords.Entity(observation);

        Assert.Equal(("zone|zgc", "rd-expenditure|2021"), (entity.PartitionKey, entity.RowKey));
        Assert.Equal("2021", entity.GetString("Period"));
        Assert.Equal(observation with { Equivalents = null }, entity.ReadDocument<MetricObservation>());
    }

    [Fact]
    public void StoredJsonKeepsDecimalsAsWrittenEnumsAsNamesAndNullsAsNulls()
    {
        var json = ApiJson.Serialize(new Quantity(239.30m, "billion-cny", Qualifier.MoreThan, Source));
        Assert.Equal("""{"value":239.30,"unit":"billion-cny","qualifier":"more-than","source":{"document":"doc","quote":"quote","locator":null}}""", json);
        Assert.Equal(239.30m.ToString(System.Globalization.CultureInfo.InvariantCulture), ApiJson.Deserialize<Quantity>(json).Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"value":1,"unit":"x","qualifier":"roughly","source":{"document":"d","quote":"q","locator":null}}""")]
    [InlineData("""{"value":"1","unit":"x","qualifier":"exact","source":{"document":"d","quote":"q","locator":null}}""")]
    [InlineData("""{"value":1,"unit":null,"qualifier":"exact","source":{"document":"d","quote":"q","locator":null}}""")]
    [InlineData("""{"value":1,"unit":"x","qualifier":"exact","source":{"document":"d","quote":"q","locator":null},"extra":1}""")]
    [InlineData("""{"value":1,"unit":"x","qualifier":"exact"}""")]
    public void ReadingIsStrict(string json) =>
        Assert.Throws<System.Text.Json.JsonException>(() => ApiJson.Deserialize<Quantity>(json));
}

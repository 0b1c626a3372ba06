using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Tests.Storage;

/// <summary>Each list's query, planned without storage: which table it reads and the filter it sends.</summary>
[Trait("Category", Tier.Unit)]
public sealed class QueryPlanTests
{
    [Fact]
    public void ZonesWithoutFiltersReadTheMainTable()
    {
        var plan = ZoneIndex.Plan();
        Assert.Equal("Zones", plan.Table);
        Assert.Equal("RowKey lt '~'", plan.Filter);
    }

    [Fact]
    public void AnIndustryDrivesAZoneQueryAndTheCityAndKindNarrowIt()
    {
        var plan = ZoneIndex.Plan("beijing", ZoneKind.ScienceCity, "ai");
        Assert.Equal("ZoneIndex", plan.Table);
        Assert.Equal("PartitionKey eq 'industry|ai' and CityId eq 'beijing' and Kind eq 'science-city'", plan.Filter);
    }

    [Fact]
    public void AKindAloneReadsItsOwnPartition() =>
        Assert.Equal("PartitionKey eq 'kind|science-city'", ZoneIndex.Plan(kind: ZoneKind.ScienceCity).Filter);

    [Fact]
    public void ANamePrefixAloneReadsTheNamePartitionInNameOrder()
    {
        var plan = OrganizationIndex.Plan(namePrefix: "China");
        Assert.Equal("OrganizationIndex", plan.Table);
        Assert.Equal("PartitionKey eq 'name' and RowKey ge 'china' and RowKey lt 'chinb'", plan.Filter);
    }

    [Fact]
    public void AZoneDrivesAnOrganizationQueryAndTheOtherFiltersNarrowIt()
    {
        var plan = OrganizationIndex.Plan(OrganizationType.InternationalOrganization, "zgc", "ai", "w");
        Assert.Equal("PartitionKey eq 'zone|zgc' and i_ai eq true and Type eq 'international-organization' and NameKey ge 'w' and NameKey lt 'x'", plan.Filter);
    }

    [Fact]
    public void ACityAloneReadsItsOwnPartitionAndNarrowsByTypeAndName() =>
        Assert.Equal("PartitionKey eq 'city|beijing' and Type eq 'company' and NameKey ge 'w' and NameKey lt 'x'",
            OrganizationIndex.Plan(OrganizationType.Company, namePrefix: "W", city: "beijing").Filter);

    [Fact]
    public void AZoneOrAnIndustryDrivesACityQueryAndTheCityFlagNarrowsIt()
    {
        Assert.Equal("PartitionKey eq 'zone|zgc' and c_bei_jing eq true",
            OrganizationIndex.Plan(zone: "zgc", city: "bei-jing").Filter);
        Assert.Equal("PartitionKey eq 'industry|ai' and c_beijing eq true",
            OrganizationIndex.Plan(industry: "ai", city: "beijing").Filter);
    }

    [Fact]
    public void FilterValuesAreEscaped() =>
        Assert.Equal("PartitionKey eq 'city|o''brien'", ZoneIndex.Plan(city: "o'brien").Filter);

    [Fact]
    public void AnIndicatorMakesThePeriodsARowKeyRange() =>
        Assert.Equal("PartitionKey eq 'zone|zgc' and RowKey ge 'rd|2021' and RowKey lt 'rd|2023'",
            MetricRecords.Plan(new EntityRef(EntityKind.Zone, "zgc"), "rd", "2021", "2022").Filter);

    [Fact]
    public void ARelationTypeWithoutADirectionReadsBothDirectionsOfIt() =>
        Assert.Equal("PartitionKey eq 'organization|wic' and ((RowKey ge 'in|initiated-by|' and RowKey lt 'in|initiated-by}') or (RowKey ge 'out|initiated-by|' and RowKey lt 'out|initiated-by}'))",
            RelationRecords.Plan("wic", type: RelationType.InitiatedBy).Filter);
}

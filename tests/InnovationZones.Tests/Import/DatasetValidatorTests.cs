using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Import;

[Trait("Category", Tier.Unit)]
public sealed class DatasetValidatorTests
{
    private static readonly Dataset Valid = GeneratedData.CityWithOrganizations("val-city", "val-zone", 3);

    private static IReadOnlyList<ImportError> Errors(Dataset dataset) => DatasetValidator.Validate(dataset).Errors;

    [Fact]
    public void AGeneratedDatasetIsValid() => Assert.Empty(Errors(Valid));

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("hash#inside")]
    [InlineData("question?")]
    [InlineData("back\\slash")]
    [InlineData("control\u0007")]
    [InlineData("' or true or '")]
    [InlineData("")]
    public void IdsMustBeSlugs(string id)
    {
        var dataset = Valid with { Cities = [new City(id, "City", null, null, null)] };
        Assert.Contains(Errors(dataset), e => e.Path == "cities[0].id");
    }

    [Fact]
    public void DuplicateIdsAreReported()
    {
        var dataset = Valid with { Organizations = [.. Valid.Organizations!, Valid.Organizations![0]] };
        Assert.Contains(Errors(dataset), e => e.Path == "organizations" && e.Message.Contains("appears 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void ReferencesOutsideTheDatasetAreLeftForStorageToAnswer()
    {
        var dataset = new Dataset(Zones: [Valid.Zones![0] with { CityId = "elsewhere" }]);
        var validator = DatasetValidator.Validate(dataset);
        Assert.Contains(("city", "elsewhere", "zones[0].cityId"), validator.ExternalReferences);
        Assert.Contains(("industry", "robotics", "zones[0].focusIndustries[0]"), validator.ExternalReferences);
    }

    [Fact]
    public void ARelationMustStartAtAnOrganizationAndFitItsType()
    {
        var zone = new EntityRef(EntityKind.Zone, "val-zone");
        var org = new EntityRef(EntityKind.Organization, Valid.Organizations![0].Id);
        var dataset = Valid with
        {
            Relations =
            [
                new Relation(zone, RelationType.LocatedIn, zone, GeneratedData.Source("x")),
                new Relation(org, RelationType.InitiatedBy, zone, GeneratedData.Source("x")),
                new Relation(org, RelationType.MemberOf, org, GeneratedData.Source("x")),
            ],
        };
        var errors = Errors(dataset);
        Assert.Contains(errors, e => e.Path == "relations[0].from.kind");
        Assert.Contains(errors, e => e.Path == "relations[1].to.kind");
        Assert.Contains(errors, e => e.Path == "relations[2].to");
    }

    [Theory]
    [InlineData("2021-13")]
    [InlineData("last year")]
    [InlineData("2021-Q3")]
    public void MetricPeriodsMustBeDates(string period)
    {
        var dataset = Valid with { Metrics = [Metric() with { Period = new Period(period, PeriodKind.Year, null) }] };
        Assert.Contains(Errors(dataset), e => e.Path == "metrics[0].period.value");
    }

    [Fact]
    public void MetricUnitsAndDenominatorsAreChecked()
    {
        var dataset = Valid with { Metrics = [Metric() with { Unit = "Billion Yuan", Denominator = 0 }] };
        var errors = Errors(dataset);
        Assert.Contains(errors, e => e.Path == "metrics[0].unit");
        Assert.Contains(errors, e => e.Path == "metrics[0].denominator");
    }

    [Fact]
    public void TheSameIndicatorAndPeriodTwiceInOneScopeIsADuplicate()
    {
        var dataset = Valid with { Metrics = [Metric(), Metric()] };
        Assert.Contains(Errors(dataset), e => e.Path == "metrics");
    }

    [Fact]
    public void AnEntityTooLargeForOneTablePropertyIsRefused()
    {
        var statements = Enumerable.Range(0, 20).Select(i => new Statement($"s{i}", new string('x', 1_900), GeneratedData.Source("x"))).ToList();
        var dataset = Valid with { Zones = [Valid.Zones![0] with { Policies = statements }] };
        Assert.Contains(Errors(dataset), e => e.Path == "zones[0]" && e.Message.Contains("64 KiB", StringComparison.Ordinal));
    }

    [Fact]
    public void NamesMustBePresentShortAndPrintable()
    {
        var dataset = Valid with
        {
            Cities = [new City("c-one", " ", null, null, null), new City("c-two", new string('n', 201), null, null, null), new City("c-three", "bell\u0007", null, null, null)],
        };
        var errors = Errors(dataset);
        Assert.Contains(errors, e => e.Path == "cities[0].name");
        Assert.Contains(errors, e => e.Path == "cities[1].name");
        Assert.Contains(errors, e => e.Path == "cities[2].name");
    }

    [Fact]
    public void ASourceNeedsAQuoteOrALocator()
    {
        var dataset = Valid with { Metrics = [Metric() with { Source = new SourceRef(GeneratedData.DocumentId) }] };
        Assert.Contains(Errors(dataset), e => e.Path == "metrics[0].source");
    }

    [Theory]
    [InlineData("""{"zones": [{"id": "x"}]}""")]
    [InlineData("""{"zones": "none"}""")]
    [InlineData("""{"cities": [{"id": "x", "name": "X", "country": null, "description": null, "sources": null, "mayor": "y"}]}""")]
    [InlineData("""{"metrics": [{"value": "12"}]}""")]
    [InlineData("""{"zones": [{"id": "z", "name": "Z", "cityId": "c", "kind": "town", "district": null, "area": null, "focusIndustries": null, "policies": null, "goals": null, "sources": null}]}""")]
    [InlineData("""{"cities": [}""")]
    [InlineData("null")]
    [InlineData("""{"unknown": []}""")]
    public void MalformedJsonIsReportedWithItsPath(string json)
    {
        var errors = Assert.Throws<DatasetInvalidException>(() => DatasetImporter.Parse(json)).Errors;
        Assert.NotEmpty(errors);
        Assert.All(errors, error =>
        {
            Assert.StartsWith("$", error.Path, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.DoesNotContain("InnovationZones", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(".NET", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryShapeErrorIsReportedAtOnceByItsPath()
    {
        var errors = Assert.Throws<DatasetInvalidException>(() => DatasetImporter.Parse("""{"zones": [{"id": "x", "name": 5, "kind": "town", "mayor": "y"}]}""")).Errors;
        var paths = errors.Select(e => e.Path).ToList();
        Assert.Contains("$.zones[0].name", paths);
        Assert.Contains("$.zones[0].kind", paths);
        Assert.Contains("$.zones[0].mayor", paths);
        Assert.Contains("$.zones[0].cityId", paths);
        Assert.Equal("Unknown field.", errors.Single(e => e.Path == "$.zones[0].mayor").Message[..14]);
    }

    private static MetricObservation Metric() => new(
        new EntityRef(EntityKind.Zone, "val-zone"), "patents", "Patents", new Period("2021", PeriodKind.Year, null),
        12.50m, null, "count", Qualifier.Exact, null, null, null, GeneratedData.Source("x"));
}

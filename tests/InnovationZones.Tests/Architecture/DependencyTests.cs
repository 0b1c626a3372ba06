using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace InnovationZones.Tests.Architecture;

/// <summary>
/// The function app's dependencies run one way, top to bottom: features (the folders with functions:
/// Zones, Organizations, Cities, Metrics, Industries, Changes, Export, Health, Stats, BulkImport) → the
/// HTTP write pipeline (Writes) → HTTP conventions (Api) and the services (Import, Aggregates) → the
/// domain (model records and their stored forms) → facts → storage → serialization contracts. Features
/// may use one another one way only (Zones uses Organizations' write resource, never the reverse). A new
/// reference against that direction fails here, naming the types that make it, and so does any cycle
/// between the app's namespaces. The OpenAPI document reads the features (their functions, examples and
/// problems), and nothing but the composition root reads it; features declare their operations with
/// attributes from Api.
/// </summary>
[Trait("Category", Tier.Unit)]
public sealed class DependencyTests
{
    private static readonly ArchUnitNET.Domain.Architecture App =
        new ArchLoader().LoadAssemblies(typeof(InnovationZones.Extensions).Assembly).Build();

    [Fact]
    public void ContractsDependOnNothingElseOfTheApp() =>
        Types().That().ResideInNamespace("InnovationZones.Contracts").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!Contracts$)"))
            .Check(App);

    [Fact]
    public void StorageDependsOnlyOnContracts() =>
        Types().That().ResideInNamespace("InnovationZones.Storage").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Storage|Contracts)$)"))
            .Check(App);

    [Fact]
    public void HttpConventionsDependOnlyOnStorageAndContracts() =>
        Types().That().ResideInNamespace("InnovationZones.Api").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Api|Storage|Contracts)$)"))
            .Check(App);

    [Fact]
    public void FactsDependOnlyOnContracts() =>
        Types().That().ResideInNamespace("InnovationZones.Facts").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Facts|Contracts)$)"))
            .Check(App);

    [Fact]
    public void TheDomainDependsOnlyOnFactsStorageAndContracts() =>
        Types().That().ResideInNamespace("InnovationZones.Domain").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Domain|Facts|Storage|Contracts)$)"))
            .Check(App);

    /// <summary>The importer and the recompute serve features, Writes and the dev host alike: no HTTP, no feature.</summary>
    [Fact]
    public void TheServicesDependOnlyOnEachOtherAndTheDomainBelow() =>
        Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(Import|Aggregates)$").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Import|Aggregates|Domain|Facts|Storage|Contracts)$)"))
            .Check(App);

    [Fact]
    public void TheWritePipelineDependsOnNoFeature() =>
        Types().That().ResideInNamespace("InnovationZones.Writes").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!(Writes|Api|Import|Aggregates|Domain|Facts|Storage|Contracts)$)"))
            .Check(App);

    /// <summary>Every namespace below the root is a slice; a cycle among them, through any number of slices, fails.</summary>
    [Fact]
    public void NoCycleRunsThroughTheAppsNamespaces() =>
        SliceRuleDefinition.Slices().Matching("InnovationZones.(*)").Should().BeFreeOfCycles().Check(App);

    [Fact]
    public void OnlyTheCompositionRootReadsTheOpenApiDocument() =>
        Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!OpenApi$)").Should()
            .NotDependOnAny(Types().That().ResideInNamespace("InnovationZones.OpenApi"))
            .Check(App);
}

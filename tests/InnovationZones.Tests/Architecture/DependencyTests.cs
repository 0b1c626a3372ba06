using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace InnovationZones.Tests.Architecture;

/// <summary>
/// The function app's dependencies run one way: functions (feature folders) → HTTP conventions (Api) →
/// storage → serialization contracts. A new reference against that direction (and so any cycle through
/// these layers) fails here, naming the types that make it. The OpenAPI document reads the features
/// (their functions, examples and problems), and nothing but the composition root reads it, so no cycle
/// passes through it either; features declare their operations with attributes from Api.
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
    public void OnlyTheCompositionRootReadsTheOpenApiDocument() =>
        Types().That().ResideInNamespaceMatching(@"^InnovationZones\.(?!OpenApi$)").Should()
            .NotDependOnAny(Types().That().ResideInNamespace("InnovationZones.OpenApi"))
            .Check(App);
}

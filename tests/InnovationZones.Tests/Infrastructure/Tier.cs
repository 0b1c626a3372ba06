namespace InnovationZones.Tests;

/// <summary>
/// The test tiers, as values of the <c>Category</c> trait that every test class carries once:
/// <c>dotnet test --filter Category=Unit</c> runs the fast tier. <c>EndToEnd</c> and <c>RealHost</c>
/// (<see cref="Infrastructure.TestHost"/>) are further values of the same trait, beside the tier.
/// </summary>
public static class Tier
{
    /// <summary>No Azurite, no host: plain C#, files and tools.</summary>
    public const string Unit = "Unit";

    /// <summary>Against Azurite, without a host.</summary>
    public const string Storage = "Storage";

    /// <summary>Over HTTP through a host (the dev host, or the real one), against Azurite.</summary>
    public const string Host = "Host";
}

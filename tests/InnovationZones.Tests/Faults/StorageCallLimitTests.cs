using InnovationZones.Storage;

namespace InnovationZones.Tests.Faults;

/// <summary>The storage call limit that the outage tests hold requests to, from the options the SDK client is built with.</summary>
[Trait("Category", Tier.Unit)]
public sealed class StorageCallLimitTests
{
    /// <summary>Azure's front end ends an HTTP request that has not answered after 230 seconds.</summary>
    private static readonly TimeSpan HttpBudget = TimeSpan.FromSeconds(230);

    [Fact]
    public void TheDefaultsFailAStorageCallWellWithinTheHttpBudget()
    {
        var defaults = new StorageOptions();
        Assert.Equal((5, 2), (defaults.NetworkTimeoutSeconds, defaults.MaxRetries));

        // Three tries of 5 s, and back-offs of 0.2 s and 0.4 s stretched by the SDK's jitter (up to 20 percent).
        Assert.Equal(TimeSpan.FromSeconds(15) + TimeSpan.FromMilliseconds(720), defaults.StorageCallLimit);
        Assert.True(defaults.StorageCallLimit * 10 < HttpBudget);
    }

    [Theory]
    [InlineData(1, 0, 1000)]
    [InlineData(1, 5, 6000 + 240 + 480 + 960 + 1920 + 2400)]
    [InlineData(60, 5, 360_000 + 240 + 480 + 960 + 1920 + 2400)]
    public void TheLimitGrowsWithTheTimeoutAndTheRetriesAndBackOffsAreCapped(int timeoutSeconds, int retries, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), new StorageOptions { NetworkTimeoutSeconds = timeoutSeconds, MaxRetries = retries }.StorageCallLimit);
}

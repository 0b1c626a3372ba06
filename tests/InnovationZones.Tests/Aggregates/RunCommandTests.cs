using InnovationZones.Aggregates;
using InnovationZones.DevHost;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Aggregates;

/// <summary>The dev host's run command recomputes the aggregates once after loading, so stats exist from the first request.</summary>
[Trait("Category", Tier.Storage)]
public sealed class RunCommandTests
{
    [Fact]
    public async Task LoadingTheDataIsFollowedByOneFullRecompute()
    {
        var storage = AzuriteFixture.NewStorageOptions();
        var tables = AzuriteFixture.NewTables(storage);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await DevHostRunner.RunAsync(
                ["--load-only", "--no-azurite", $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}"], output, error);

            Assert.True(exitCode == 0, error.ToString());
            Assert.Contains("Recomputed aggregates (run ", output.ToString(), StringComparison.Ordinal);
            var latest = await AggregateRecords.LatestSucceededAsync(tables, CancellationToken.None);
            Assert.Equal(RunKind.Full, latest!.Kind);
            var city = await tables.Aggregates.FindAsync("city", "beijing", CancellationToken.None);
            Assert.Equal("271.5 km² over 2 of 4 zones", city!.ReadDocument<CityStats>().Area.Text);
        }
        finally
        {
            await tables.DeleteAllAsync();
        }
    }
}

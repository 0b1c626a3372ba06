using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// Azurite stops in the middle of an aggregates run: the run ends, soon, as a failed run it reports (it
/// does not hang, and does not throw at the timer); once Azurite is back the next run makes the
/// aggregates exactly what an uninterrupted full run computes, and no dirty mark is lost on the way.
/// </summary>
[Trait("Category", Tier.Storage)]
public sealed class AggregatesOutageTests(OutageAzurite azurite) : IClassFixture<OutageAzurite>, IAsyncLifetime
{
    private const int Organizations = 24;

    /// <summary>A run cut off stops at its next storage call; a few may be in flight, in parallel.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    private readonly StorageOptions storage = azurite.NewStorageOptions();

    /// <summary>How long a run cut off may take to end: a few storage calls in flight, each within the limit.</summary>
    private TimeSpan RunBound => storage.StorageCallLimit * 4 + Slack;

    public Task InitializeAsync() => azurite.EnsureStartedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private (Tables Tables, DatasetImporter Importer, AggregatesRecompute Recompute) Setup()
    {
        var tables = AzuriteFixture.NewTables(storage);
        var dirty = new DirtyScopes(tables, TimeProvider.System);
        return (tables, new DatasetImporter(tables, dirty, NullLogger<DatasetImporter>.Instance),
            new AggregatesRecompute(tables, dirty, TimeProvider.System, NullLogger<AggregatesRecompute>.Instance));
    }

    /// <summary>The generated city, with every third organization's type and name changed: marks on organizations, types, the zone and the city.</summary>
    private static Dataset Changed(Dataset dataset) => dataset with
    {
        Organizations = [.. dataset.Organizations!.Select((o, i) => i % 3 == 0 ? o with { Name = o.Name + " (renamed)", Type = OrganizationType.University } : o)],
    };

    [Fact]
    public async Task AFullRunCutOffFailsAndTheNextRunMakesTheAggregatesExact()
    {
        var (tables, importer, recompute) = Setup();
        var dataset = GeneratedData.CityWithOrganizations("cut-city", "cut-zone", Organizations);
        await importer.ImportAsync(dataset);
        var first = await recompute.RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, first.Status);
        var beforeChange = await TableSnapshot.AggregatesAsync(tables);
        await importer.ImportAsync(Changed(dataset));
        var marks = await WriteRequests.DirtyScopesAsync(tables);
        Assert.Contains("organization-type|university", marks);

        var cut = await CutOffAsync(recompute, afterWrites: Organizations / 2, run: r => r.RunFullAsync(CancellationToken.None));
        Assert.Equal((RunKind.Full, RunStatus.Failed), (cut.Kind, cut.Status));
        Assert.False(string.IsNullOrWhiteSpace(cut.Error));
        Assert.InRange(cut.AggregatesWritten, Organizations / 2, first.AggregatesWritten - 1);

        var afterIncremental = await RecoverAsync(tables, recompute, marks);
        Assert.NotEqual(beforeChange["organization-type|university"], afterIncremental["organization-type|university"]);
        await tables.DeleteAllAsync();
    }

    [Fact]
    public async Task AnIncrementalRunCutOffKeepsItsMarksForTheNextRunAndRunsWhileStorageIsDownFailAtOnce()
    {
        var (tables, importer, recompute) = Setup();
        var dataset = GeneratedData.CityWithOrganizations("inc-city", "inc-zone", 12);
        await importer.ImportAsync(dataset);
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);
        await importer.ImportAsync(Changed(dataset));
        var marks = await WriteRequests.DirtyScopesAsync(tables);
        Assert.True(marks.Count > 4, string.Join(", ", marks));

        var cut = await CutOffAsync(recompute, afterWrites: 2, run: r => r.RunIncrementalAsync(CancellationToken.None));
        Assert.Equal((RunKind.Incremental, RunStatus.Failed), (cut.Kind, cut.Status));

        // Runs that start while storage is down fail at once, and say so.
        foreach (var down in new[] { recompute.RunIncrementalAsync(CancellationToken.None), recompute.RunFullAsync(CancellationToken.None) })
        {
            var run = await down.WaitAsync(RunBound);
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.False(string.IsNullOrWhiteSpace(run.Error));
        }

        await RecoverAsync(tables, recompute, marks);
        await tables.DeleteAllAsync();
    }

    /// <summary>
    /// Starts Azurite again: the marks are all there, one incremental run clears them, and leaves the
    /// aggregates a full run computes on the same data (returned).
    /// </summary>
    private async Task<SortedDictionary<string, string>> RecoverAsync(Tables tables, AggregatesRecompute recompute, List<string> marks)
    {
        await azurite.StartAsync();
        Assert.Equal(marks, await WriteRequests.DirtyScopesAsync(tables));
        var next = await recompute.RunIncrementalAsync(CancellationToken.None);
        Assert.Equal((RunKind.Incremental, RunStatus.Succeeded), (next.Kind, next.Status));
        Assert.Empty(await WriteRequests.DirtyScopesAsync(tables));
        var afterIncremental = await TableSnapshot.AggregatesAsync(tables);
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);
        Assert.Equal(await TableSnapshot.AggregatesAsync(tables), afterIncremental);
        return afterIncremental;
    }

    /// <summary>Runs <paramref name="run"/> and stops Azurite once it has written <paramref name="afterWrites"/> aggregates; the run must end within a bound.</summary>
    private async Task<RunRecord> CutOffAsync(AggregatesRecompute recompute, int afterWrites, Func<AggregatesRecompute, Task<RunRecord>> run)
    {
        var written = 0;
        recompute.AfterWrite = _ =>
        {
            if (Interlocked.Increment(ref written) == afterWrites)
            {
                azurite.StopAsync().GetAwaiter().GetResult();
            }
        };
        try
        {
            return await run(recompute).WaitAsync(RunBound);
        }
        finally
        {
            recompute.AfterWrite = null;
        }
    }
}

using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Import;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// Azurite stops while POST v1/import writes: the caller gets a 503 problem, soon; once Azurite is back,
/// the same POST completes the data, and every table then holds exactly what the same import holds in
/// tables that no outage touched: nothing duplicated, nothing lost, index entities included.
/// </summary>
[Trait("Category", Tier.Host)]
public sealed class ImportOutageTests(OutageAzurite azurite) : IClassFixture<OutageAzurite>
{
    private const int Organizations = 60;
    private const int StopAfter = 12;

    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnImportCutOffIsA503AndImportingItAgainConvergesToTheCompleteData()
    {
        var dataset = GeneratedData.CityWithOrganizations("import-city", "import-zone", Organizations);
        var json = ApiJson.Serialize(dataset);

        // The reference: the same import, no outage, tables of its own.
        var reference = AzuriteFixture.NewTables(azurite.NewStorageOptions());
        await new DatasetImporter(reference, new DirtyScopes(reference, TimeProvider.System), NullLogger<DatasetImporter>.Instance).ImportAsync(dataset);

        await using var server = await ApiServer.StartAsync(loadBeijing: false, storage: azurite.NewStorageOptions());
        var bound = server.Storage.StorageCallLimit * 2 + Slack;
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = bound + Slack };

        var watch = Stopwatch.StartNew();
        var import = PostAsync(client, json);
        var stored = await StoredWhenAsync(server.Tables, n => n >= StopAfter, import);
        await azurite.StopAsync();
        using (var response = await import)
        {
            await HttpAssert.ProblemAsync(response, 503, "StorageUnavailable");
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        Assert.True(watch.Elapsed < bound + TimeSpan.FromSeconds(15), $"the cut-off import took {watch.Elapsed}");

        await azurite.StartAsync();
        var partial = await TableSnapshot.ContentAsync(server.Tables, NotImported);
        var complete = await TableSnapshot.ContentAsync(reference, NotImported);
        Assert.NotEqual(complete, partial);
        Assert.InRange(await CountAsync(server.Tables), stored, Organizations - 1);

        using (var again = await PostAsync(client, json))
        {
            var report = await WriteRequests.JsonAsync(again, 200);
            var organizations = report["counts"]!["organizations"]!;
            Assert.Equal(Organizations, organizations["created"]!.GetValue<int>() + organizations["updated"]!.GetValue<int>() + organizations["unchanged"]!.GetValue<int>());
            Assert.InRange(organizations["created"]!.GetValue<int>(), 1, Organizations - StopAfter);
        }

        SameRows(complete, await TableSnapshot.ContentAsync(server.Tables, NotImported));
        var ids = await server.IdsAsync("api/v1/organizations?zone=import-zone&maxpagesize=1000");
        Assert.Equal(Organizations, ids.Count);
        Assert.Equal(Organizations, ids.Distinct(StringComparer.Ordinal).Count());

        // Then the aggregates of both agree.
        var dirty = new DirtyScopes(server.Tables, TimeProvider.System);
        var recompute = new AggregatesRecompute(server.Tables, dirty, TimeProvider.System, NullLogger<AggregatesRecompute>.Instance);
        Assert.Equal(RunStatus.Succeeded, (await recompute.RunFullAsync(CancellationToken.None)).Status);
        var referenceRecompute = new AggregatesRecompute(reference, new DirtyScopes(reference, TimeProvider.System), TimeProvider.System, NullLogger<AggregatesRecompute>.Instance);
        Assert.Equal(RunStatus.Succeeded, (await referenceRecompute.RunFullAsync(CancellationToken.None)).Status);
        Assert.Equal(await TableSnapshot.AggregatesAsync(reference), await TableSnapshot.AggregatesAsync(server.Tables));
        await reference.DeleteAllAsync();
        await server.Tables.DeleteAllAsync();
    }

    /// <summary>Tables an import does not write, or writes with times of its own: the marks, the aggregates and their runs.</summary>
    private static readonly string[] NotImported = ["DirtyScopes", "Aggregates", "AggregateRuns"];

    private static void SameRows(List<string> expected, List<string> actual)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count,
            $"{missing.Count} rows missing, {extra.Count} not expected, {actual.Count} of {expected.Count}:\n- {string.Join("\n- ", missing.Take(5))}\n+ {string.Join("\n+ ", extra.Take(5))}");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync("api/v1/import", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Polls the number of organizations stored until <paramref name="enough"/>; fails if the import ends first.</summary>
    private static async Task<int> StoredWhenAsync(Tables tables, Func<int, bool> enough, Task import)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var count = await CountAsync(tables);
            if (enough(count))
            {
                return count;
            }

            Assert.False(import.IsCompleted, $"the import ended before {StopAfter} organizations were stored ({count})");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"only {count} organizations stored after {watch.Elapsed}");
            await Task.Delay(10);
        }
    }

    private static async Task<int> CountAsync(Tables tables)
    {
        var count = 0;
        try
        {
            // Main entities only: each organization's history rows share its partition.
            await foreach (var _ in tables.Organizations.QueryAsync<TableEntity>(ChangeLog.LiveRowsFilter, select: ["PartitionKey"]))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // Not created yet.
        }

        return count;
    }
}

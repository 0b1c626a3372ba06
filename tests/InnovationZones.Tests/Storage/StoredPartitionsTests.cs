using System.Globalization;
using Azure.Data.Tables;
using InnovationZones.Storage;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Storage;

/// <summary>Reading many partitions together: exactly their rows, in one query per kind while the range is cheap.</summary>
[Trait("Category", Tier.Storage)]
public sealed class StoredPartitionsTests : IAsyncLifetime
{
    private readonly CountingTransport requests = new();
    private TableClient table = null!;

    public async Task InitializeAsync()
    {
        var options = AzuriteFixture.NewStorageOptions();
        table = InnovationZones.Extensions.CreateTableServiceClient(options, transport: requests).GetTableClient(options.TablePrefix + "Rows");
        await table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => table.DeleteAsync();

    private async Task AddRowsAsync(string partition, int count)
    {
        var rows = Enumerable.Range(0, count).Select(i => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity(partition, i.ToString("D5", CultureInfo.InvariantCulture)) { ["Doc"] = partition + "/" + i }));
        await Batches.SubmitAsync(table, rows, default);
    }

    private static IEnumerable<string> Flatten(IReadOnlyDictionary<string, Dictionary<string, TableEntity>> rows) =>
        rows.SelectMany(p => p.Value.Select(r => $"{p.Key}/{r.Key}={r.Value.GetString("Doc")}")).Order(StringComparer.Ordinal);

    [Fact]
    public async Task PartitionsOfOneKindAreReadInOneQueryAndOthersLeftOut()
    {
        await AddRowsAsync("zone|a", 3);
        await AddRowsAsync("zone|b", 1);
        await AddRowsAsync("zone|c", 2);
        await AddRowsAsync("city|x", 1);
        requests.Reset();

        var rows = await StoredPartitions.ReadAsync(table, ["zone|c", "zone|a", "zone|d", "city|x", "zone|a"], ["Doc"], default);

        Assert.Equal(["city|x", "zone|a", "zone|c", "zone|d"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["city|x/00000=city|x/0", "zone|a/00000=zone|a/0", "zone|a/00001=zone|a/1", "zone|a/00002=zone|a/2", "zone|c/00000=zone|c/0", "zone|c/00001=zone|c/1"],
            Flatten(rows));
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task ARangeThatHoldsFarMoreThanItsPartitionsIsLeftForOneQueryAPartition()
    {
        await AddRowsAsync("zone|a", 2);
        await AddRowsAsync("zone|m", 1500);
        await AddRowsAsync("zone|z", 3);
        requests.Reset();

        var rows = await StoredPartitions.ReadAsync(table, ["zone|a", "zone|z"], ["Doc"], default);

        Assert.Equal(
            ["zone|a/00000=zone|a/0", "zone|a/00001=zone|a/1", "zone|z/00000=zone|z/0", "zone|z/00001=zone|z/1", "zone|z/00002=zone|z/2"],
            Flatten(rows));

        // Two partitions allow the range one page (1,000 rows, most of them zone|m's); zone|z is read on its own.
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task APartitionCutByThePageBudgetIsReadAgainWhole()
    {
        await AddRowsAsync("zone|a", 1200);
        await AddRowsAsync("zone|b", 2);
        requests.Reset();

        var rows = await StoredPartitions.ReadAsync(table, ["zone|a", "zone|b"], null, default);

        Assert.Equal(1200, rows["zone|a"].Count);
        Assert.Equal(2, rows["zone|b"].Count);
        Assert.All(rows["zone|a"].Values, e => Assert.NotEqual(default, e.ETag));
    }
}

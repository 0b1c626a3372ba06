using Azure.Data.Tables;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Storage;

/// <summary>Transactions stay within what Table Storage takes: 100 entities and 4 MiB.</summary>
[Trait("Category", Tier.Unit)]
public sealed class BatchesTests
{
    private static TableTransactionAction Upsert(int i, int documentLength) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity("p", i.ToString(System.Globalization.CultureInfo.InvariantCulture)) { ["Doc"] = new string('x', documentLength) });

    [Fact]
    public void SmallEntitiesGoAHundredToATransaction()
    {
        var chunks = Batches.Chunk(Enumerable.Range(0, 250).Select(i => Upsert(i, 500))).ToList();

        Assert.Equal([100, 100, 50], chunks.Select(c => c.Count));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), chunks.SelectMany(c => c).Select(a => a.Entity.RowKey));
    }

    [Fact]
    public void LargeDocumentsCloseATransactionBeforeItCouldPass4MiB()
    {
        // 30,000 characters (the largest document) at 6 bytes each when escaped: 23 fit in 4 MiB.
        var chunks = Batches.Chunk(Enumerable.Range(0, 100).Select(i => Upsert(i, 30_000))).ToList();

        Assert.Equal([23, 23, 23, 23, 8], chunks.Select(c => c.Count));
        Assert.All(chunks, c => Assert.True(c.Count * 6L * 30_000 < Batches.MaxPayloadBytes));
    }
}

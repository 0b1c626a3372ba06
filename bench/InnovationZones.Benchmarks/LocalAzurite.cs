using InnovationZones.DevHost;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The benchmarks' Azurite: the dev host's own (<see cref="Azurite.StartAsync"/>), in memory, on a free
/// port (never the shared 10002), stopped by its pid when disposed; or, under <c>all</c>, the one they share.
/// </summary>
internal sealed class LocalAzurite : IAsyncDisposable
{
    private readonly Azurite azurite;
    private readonly bool owned;

    private LocalAzurite(Azurite azurite, bool owned)
    {
        this.azurite = azurite;
        this.owned = owned;
    }

    /// <summary>
    /// Set by <c>all</c>: every benchmark then uses this one Azurite (and the data already loaded into it,
    /// see <see cref="Bench.LoadAsync"/>) instead of starting its own, and only its owner stops it.
    /// </summary>
    public static LocalAzurite? Shared { get; set; }

    public int Port => azurite.Port;

    public int? ProcessId => azurite.ProcessId;

    public static string ConnectionString(int port) => Azurite.ConnectionStringFor(port);

    public static async Task<LocalAzurite> StartAsync(string repositoryRoot)
    {
        if (Shared is { } shared)
        {
            return new LocalAzurite(shared.azurite, owned: false);
        }

        // 100,000 organizations are about 750,000 entities in Azurite's in-memory store: more than node's
        // default heap. The node process Azurite runs in inherits this.
        Environment.SetEnvironmentVariable("NODE_OPTIONS", "--max-old-space-size=8192");
        return new LocalAzurite(await Azurite.StartAsync(repositoryRoot, Azurite.FreePort(), null, Console.Error, CancellationToken.None), owned: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (owned)
        {
            await azurite.DisposeAsync();
        }
    }
}

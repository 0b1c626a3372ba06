namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// The run's host over Beijing's data, started and imported once for the whole test run and shared by
/// every class that only reads it (a class that writes, recomputes the aggregates or counts the storage
/// requests to its tables starts its own).
/// It stops when the test process exits.
/// </summary>
public sealed class BeijingServer : IAsyncLifetime
{
    private static readonly Lazy<Task<ApiServer>> Shared = new(StartAsync);

    public ApiServer Api { get; private set; } = null!;

    public async Task InitializeAsync() => Api = await Shared.Value;

    /// <summary>Nothing to do: the next class reads the same server.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<ApiServer> StartAsync()
    {
        var api = await ApiServer.StartAsync();
        RunEnd.Register(() => api.DisposeAsync().AsTask());
        return api;
    }
}

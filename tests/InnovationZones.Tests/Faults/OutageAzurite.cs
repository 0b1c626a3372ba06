using InnovationZones.DevHost;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Faults;

/// <summary>
/// An Azurite table service of one test class's own, for outages: on a free port (never the shared
/// 10002), its data in a folder under the test output (bin/, git-ignored) so that what it stored survives
/// <see cref="StopAsync"/> and is there again after <see cref="StartAsync"/> on the same port. Only this
/// process is ever stopped, by its pid; every wait is bounded (see the dev host's <see cref="Azurite"/>).
/// </summary>
public sealed class OutageAzurite : IAsyncLifetime
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private Azurite? azurite;

    public string Location { get; } = Path.Combine(AppContext.BaseDirectory, "azurite-faults", Guid.NewGuid().ToString("N"));

    private Azurite Service => azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Service.ConnectionString;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Location);
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
        using var bound = new CancellationTokenSource(StartBound);
        azurite = await Azurite.StartAsync(root, Azurite.FreePort(), Location, TextWriter.Null, bound.Token);
    }

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next clean of bin/.
        }
    }

    /// <summary>Storage options for tables of their own (a fresh prefix) in this Azurite, with the app's default retries and timeouts.</summary>
    public StorageOptions NewStorageOptions() => new()
    {
        ConnectionString = ConnectionString,
        TablePrefix = "f" + Guid.NewGuid().ToString("N")[..12],
    };

    /// <summary>Stops Azurite gracefully (SIGINT: it saves its database), and waits until it has.</summary>
    public Task StopAsync() => Service.StopAsync();

    /// <summary>Starts it again on the same port, with the data it saved.</summary>
    public async Task StartAsync()
    {
        using var bound = new CancellationTokenSource(StartBound);
        await Service.StartAgainAsync(bound.Token);
    }

    /// <summary>Starts it again if a test before left it stopped.</summary>
    public async Task EnsureStartedAsync()
    {
        if (!Service.Running)
        {
            await StartAsync();
        }
    }

    /// <summary>Freezes it (SIGSTOP): connections are accepted and never answered, as a hung service's are.</summary>
    public void Freeze() => Service.Freeze();

    public void Thaw() => Service.Thaw();
}

using InnovationZones.DevHost;
using InnovationZones.Storage;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// Azurite's table service for the whole test run: the one already listening on 127.0.0.1:10002 (as
/// .ci/run and the dev host start it), or one started the dev host's way (npm ci on first use), in
/// memory, and stopped at the end. Tests share the service, never data: each takes its own table prefix.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private Azurite? azurite;

    public async Task InitializeAsync() =>
        azurite = await Azurite.EnsureRunningAsync(TextWriter.Null, CancellationToken.None, inMemory: true);

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>Storage options with a table prefix no other test uses.</summary>
    public static StorageOptions NewStorageOptions() => new()
    {
        ConnectionString = ConnectionString,
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
    };

    /// <summary>A fresh, empty set of the app's tables under a prefix of its own.</summary>
    public static Tables NewTables(StorageOptions? options = null)
    {
        options ??= NewStorageOptions();
        return new Tables(Extensions.CreateTableServiceClient(options), Options.Create(options));
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

public static class RepoRoot
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Functions.sln.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}

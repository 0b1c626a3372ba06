using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using InnovationZones.Storage;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// Azurite's table service for the whole test run: the one already listening on 127.0.0.1:10002 (as
/// .ci/run and the dev host start it), or one this fixture starts from the repo's node_modules, in
/// memory, and stops at the end. Tests share the service, never data: each takes its own table prefix.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";
    public const int TablePort = 10002;

    private Process? process;

    public async Task InitializeAsync()
    {
        if (await IsListeningAsync(TablePort))
        {
            return;
        }

        var root = RepoRoot.Find();
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite-table.js");
        if (!File.Exists(azurite))
        {
            await NpmCiAsync(root);
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { azurite, "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync(TablePort))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("Azurite did not start listening on 127.0.0.1:10002 within 30 seconds.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Installs Azurite from the repo's package.json, as a fresh clone needs.</summary>
    private static async Task NpmCiAsync(string root)
    {
        var npm = new ProcessStartInfo("npm") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(argument);
        }

        using var install = Process.Start(npm) ?? throw new InvalidOperationException("Could not run npm: install Node.js.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await install.WaitForExitAsync(timeout.Token);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' failed in {root} with exit code {install.ExitCode}.");
        }
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        return Task.CompletedTask;
    }

    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
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
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
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

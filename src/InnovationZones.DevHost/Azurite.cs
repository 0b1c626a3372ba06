using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace InnovationZones.DevHost;

/// <summary>
/// Azurite's table service for the run command: the one already listening on 127.0.0.1:10002, or one
/// started from the repository's package.json (with <c>npm ci</c> on first use), its data in the
/// git-ignored <c>.azurite</c> folder. <see cref="DisposeAsync"/> stops the process this class started, and only that one.
/// </summary>
internal sealed partial class Azurite : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int TablePort = 10002;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process? process;
    private readonly Queue<string> lastLines = new();

    private Azurite(Process? process, string? location)
    {
        this.process = process;
        Location = location;
    }

    /// <summary>Where the started Azurite keeps its data; null when one was already running.</summary>
    public string? Location { get; }

    public bool Started => process is not null;

    public int? ProcessId => process?.Id;

    /// <summary>
    /// Uses the Azurite already listening, or starts one and waits (at most 30 s) until it listens. With
    /// <paramref name="inMemory"/> (the tests) it keeps its data in memory instead of <c>.azurite</c>.
    /// </summary>
    public static async Task<Azurite> EnsureRunningAsync(TextWriter output, CancellationToken cancellationToken, bool inMemory = false)
    {
        if (await IsListeningAsync(cancellationToken))
        {
            return new Azurite(null, null);
        }

        var root = RepositoryRoot.Find()
            ?? throw new DevHostException(
                $"Nothing listens on {Host}:{TablePort} and no repository root (a folder with Functions.sln and package.json) was found above " +
                $"{AppContext.BaseDirectory} or {Environment.CurrentDirectory}: start Azurite yourself, or pass --no-azurite.");
        var script = TableScript(root);
        if (!File.Exists(script))
        {
            output.WriteLine($"Installing Azurite: npm ci in {root}");
            await RunNpmCiAsync(root, cancellationToken);
            script = TableScript(root);
            if (!File.Exists(script))
            {
                throw new DevHostException($"npm ci in {root} did not install Azurite's table service ({script}).");
            }
        }

        string? location = inMemory ? null : Path.Combine(root, ".azurite");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] storage = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var argument in (string[])
        [
            script, "--tableHost", Host, "--tablePort", TablePort.ToString(CultureInfo.InvariantCulture),
            .. storage,
            "--skipApiVersionCheck", "--disableTelemetry",
        ])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DevHostException("Could not start Azurite (node).");
        }
        catch (Win32Exception e)
        {
            throw new DevHostException("Node.js is not installed or not on PATH (needed to run Azurite): install Node.js 20 or later, or pass --no-azurite.", e);
        }

        var azurite = new Azurite(process, location);
        process.OutputDataReceived += (_, e) => azurite.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.GetTimestamp();
            while (!await IsListeningAsync(cancellationToken))
            {
                if (process.HasExited)
                {
                    throw new DevHostException($"Azurite exited with code {process.ExitCode} before it listened on {Host}:{TablePort}: {azurite.LastLine()}");
                }

                if (Stopwatch.GetElapsedTime(deadline) > StartTimeout)
                {
                    throw new DevHostException($"Azurite did not listen on {Host}:{TablePort} within {StartTimeout.TotalSeconds:0} seconds: {azurite.LastLine()}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    /// <summary>
    /// Stops the Azurite this instance started: SIGINT first, so it closes its database files, then a kill
    /// if it has not exited within 10 seconds. An Azurite that was already running is left alone.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                if (!OperatingSystem.IsWindows())
                {
                    _ = SendSignal(process.Id, SigInt);
                }

                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited in the meantime.
        }
        finally
        {
            process.Dispose();
        }
    }

    public static async Task<bool> IsListeningAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(Host, TablePort, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The table service's entry point, as package.json's "bin" names it (dist/src/table/main.js in Azurite 3).</summary>
    private static string TableScript(string root)
    {
        var package = Path.Combine(root, "node_modules", "azurite");
        var manifest = Path.Combine(package, "package.json");
        if (File.Exists(manifest))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            if (document.RootElement.TryGetProperty("bin", out var bin)
                && bin.ValueKind == JsonValueKind.Object
                && bin.TryGetProperty("azurite-table", out var table)
                && table.GetString() is { } relative)
            {
                return Path.GetFullPath(Path.Combine(package, relative));
            }
        }

        return Path.Combine(package, "dist", "src", "table", "main.js");
    }

    private static async Task RunNpmCiAsync(string root, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("ci");
        start.ArgumentList.Add("--no-audit");
        start.ArgumentList.Add("--no-fund");

        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw new DevHostException("Could not start npm.");
        }
        catch (Win32Exception e)
        {
            throw new DevHostException("npm is not installed or not on PATH (needed to install Azurite): install Node.js 20 or later, or pass --no-azurite.", e);
        }

        using (npm)
        {
            var errors = new Queue<string>();
            npm.OutputDataReceived += (_, _) => { };
            npm.ErrorDataReceived += (_, e) =>
            {
                if (!string.IsNullOrWhiteSpace(e.Data))
                {
                    lock (errors)
                    {
                        errors.Enqueue(e.Data);
                        if (errors.Count > 5)
                        {
                            errors.Dequeue();
                        }
                    }
                }
            };
            npm.BeginOutputReadLine();
            npm.BeginErrorReadLine();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(NpmTimeout);
            try
            {
                await npm.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                throw new DevHostException($"npm ci in {root} did not finish within {NpmTimeout.TotalMinutes:0} minutes.");
            }

            if (npm.ExitCode != 0)
            {
                string last;
                lock (errors)
                {
                    last = errors.LastOrDefault(l => l.Contains("ERR", StringComparison.OrdinalIgnoreCase)) ?? errors.LastOrDefault() ?? "";
                }

                throw new DevHostException($"npm ci in {root} failed with exit code {npm.ExitCode}: {last}");
            }
        }
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 20)
            {
                lastLines.Dequeue();
            }
        }
    }

    private string LastLine()
    {
        lock (lastLines)
        {
            return lastLines.LastOrDefault() ?? "(no output)";
        }
    }

    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}

/// <summary>The repository root: the nearest folder holding Functions.sln and package.json, above the binary or else above the current directory.</summary>
internal static class RepositoryRoot
{
    public static string? Find() => FindAbove(AppContext.BaseDirectory) ?? FindAbove(Environment.CurrentDirectory);

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

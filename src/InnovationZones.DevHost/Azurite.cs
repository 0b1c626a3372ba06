using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace InnovationZones.DevHost;

/// <summary>
/// Azurite's table service for the run command: the one already listening on 127.0.0.1:10002, or one
/// started from the repository's package.json (with <c>npm ci</c> on first use), its data in the
/// git-ignored <c>.azurite</c> folder. The fault tests start one of their own on another port, stop it
/// and start it again on the same port and data. <see cref="DisposeAsync"/> stops the process this class
/// started, and only that one.
/// </summary>
internal sealed partial class Azurite : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int TablePort = 10002;

    /// <summary>Azurite's well-known development account key (public, the same in every Azurite).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>What Azurite's table service prints once it has closed its database (and saved it, when it persists).</summary>
    private const string ClosedLine = "Azurite Table service successfully closed";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ProcessStartInfo? start;
    private readonly Queue<string> lastLines = new();
    private Process? process;
    private TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Azurite(ProcessStartInfo? start, int port, string? location, int? blobPort = null, int? queuePort = null)
    {
        this.start = start;
        Port = port;
        Location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
    }

    /// <summary>The table service's port.</summary>
    public int Port { get; }

    /// <summary>The blob and queue services' ports, when this Azurite runs them (<see cref="StartFullAsync"/>).</summary>
    public int? BlobPort { get; }

    public int? QueuePort { get; }

    /// <summary>Where the started Azurite keeps its data; null when one was already running, or in memory.</summary>
    public string? Location { get; }

    public bool Started => start is not null;

    /// <summary>Whether the process this class started is running (not stopped by <see cref="StopAsync"/>).</summary>
    public bool Running => process is not null;

    public int? ProcessId => process?.Id;

    /// <summary>A connection string to this Azurite's table service, with the development account.</summary>
    public string ConnectionString => ConnectionStringFor(Port);

    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://{Host}:{port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;";

    /// <summary>
    /// A connection string to every service this Azurite runs: blob and queue too when it was started by
    /// <see cref="StartFullAsync"/>, as the Functions host's own <c>AzureWebJobsStorage</c> needs them.
    /// </summary>
    public string FullConnectionString => BlobPort is { } blob && QueuePort is { } queue
        ? ConnectionStringFor(Port) + $"BlobEndpoint=http://{Host}:{blob.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;" +
          $"QueueEndpoint=http://{Host}:{queue.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;"
        : ConnectionString;

    /// <summary>
    /// Uses the Azurite already listening, or starts one and waits (at most 30 s) until it listens. With
    /// <paramref name="inMemory"/> (the tests) it keeps its data in memory instead of <c>.azurite</c>.
    /// </summary>
    public static async Task<Azurite> EnsureRunningAsync(TextWriter output, CancellationToken cancellationToken, bool inMemory = false)
    {
        if (await IsListeningAsync(TablePort, cancellationToken))
        {
            return new Azurite(null, TablePort, null);
        }

        var root = RepositoryRoot.Find()
            ?? throw new DevHostException(
                $"Nothing listens on {Host}:{TablePort} and no repository root (a folder with Functions.sln and package.json) was found above " +
                $"{AppContext.BaseDirectory} or {Environment.CurrentDirectory}: start Azurite yourself, or pass --no-azurite.");
        return await StartAsync(root, TablePort, inMemory ? null : Path.Combine(root, ".azurite"), output, cancellationToken);
    }

    /// <summary>
    /// Starts an Azurite table service of the caller's own on <paramref name="port"/>, its data in
    /// <paramref name="location"/> (null: in memory), installing it first if need be.
    /// </summary>
    public static async Task<Azurite> StartAsync(string root, int port, string? location, TextWriter output, CancellationToken cancellationToken)
    {
        var script = await InstalledScriptAsync(root, "azurite-table", output, cancellationToken);
        string[] storage = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        var start = NodeStart(root, [
            script, "--tableHost", Host, "--tablePort", port.ToString(CultureInfo.InvariantCulture),
            .. storage,
            "--skipApiVersionCheck", "--disableTelemetry",
        ]);
        var azurite = new Azurite(start, port, location);
        await azurite.StartAgainAsync(cancellationToken);
        return azurite;
    }

    private static ProcessStartInfo NodeStart(string root, string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The script of one of Azurite's commands (<paramref name="bin"/>), after <c>npm ci</c> if Azurite is not installed.</summary>
    private static async Task<string> InstalledScriptAsync(string root, string bin, TextWriter output, CancellationToken cancellationToken)
    {
        var script = Script(root, bin);
        if (!File.Exists(script))
        {
            output.WriteLine($"Installing Azurite: npm ci in {root}");
            await RunNpmCiAsync(root, cancellationToken);
            script = Script(root, bin);
            if (!File.Exists(script))
            {
                throw new DevHostException($"npm ci in {root} did not install Azurite's {bin} ({script}).");
            }
        }

        return script;
    }

    /// <summary>
    /// Starts a full Azurite (blob, queue and table services, each on a free port, in memory), as the real
    /// Functions host needs for its own storage (timers, locks), installing it first if need be.
    /// </summary>
    public static async Task<Azurite> StartFullAsync(string root, TextWriter output, CancellationToken cancellationToken)
    {
        var script = await InstalledScriptAsync(root, "azurite", output, cancellationToken);
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var start = NodeStart(root, [
            script,
            "--blobHost", Host, "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", Host, "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", Host, "--tablePort", table.ToString(CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
        ]);
        var azurite = new Azurite(start, table, null, blob, queue);
        await azurite.StartAgainAsync(cancellationToken);
        foreach (var port in (int[])[blob, queue])
        {
            while (!await IsListeningAsync(port, cancellationToken))
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return azurite;
    }

    /// <summary>A free TCP port on the loopback interface, never the shared <see cref="TablePort"/>.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != TablePort)
            {
                return port;
            }
        }
    }

    /// <summary>Starts the process again, with the same port and data, and waits (at most 30 s) until it listens.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (start is null || process is not null)
        {
            throw new InvalidOperationException("Only a stopped Azurite that this class started can be started again.");
        }

        closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process started;
        try
        {
            started = Process.Start(start) ?? throw new DevHostException("Could not start Azurite (node).");
        }
        catch (Win32Exception e)
        {
            throw new DevHostException("Node.js is not installed or not on PATH (needed to run Azurite): install Node.js 20 or later, or pass --no-azurite.", e);
        }

        process = started;
        started.OutputDataReceived += (_, e) => Remember(e.Data);
        started.ErrorDataReceived += (_, e) => Remember(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        try
        {
            var since = Stopwatch.GetTimestamp();
            while (!await IsListeningAsync(Port, cancellationToken))
            {
                if (started.HasExited)
                {
                    throw new DevHostException($"Azurite exited with code {started.ExitCode} before it listened on {Host}:{Port}: {LastLine()}");
                }

                if (Stopwatch.GetElapsedTime(since) > StartTimeout)
                {
                    throw new DevHostException($"Azurite did not listen on {Host}:{Port} within {StartTimeout.TotalSeconds:0} seconds: {LastLine()}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the Azurite this instance started: SIGINT, which makes Azurite close its database (saving it
    /// when it persists to disk; SIGTERM would end it without saving); then, once it says it has closed or
    /// 10 seconds have passed, a kill if it has not exited by itself (it waits for its open connections).
    /// An Azurite that was already running is left alone.
    /// </summary>
    public async Task StopAsync()
    {
        if (process is not { } stopping)
        {
            return;
        }

        try
        {
            if (!stopping.HasExited)
            {
                if (!OperatingSystem.IsWindows())
                {
                    _ = SendSignal(stopping.Id, SigCont);
                    _ = SendSignal(stopping.Id, SigInt);
                }

                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await Task.WhenAny(closed.Task, stopping.WaitForExitAsync(wait.Token)).WaitAsync(wait.Token);
                    using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await stopping.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                    stopping.Kill();
                    await stopping.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited in the meantime.
        }
        finally
        {
            stopping.Dispose();
            process = null;
        }
    }

    /// <summary>
    /// Freezes the process (SIGSTOP): it keeps its port, and the kernel accepts connections it never
    /// answers, as a storage service that hangs would. <see cref="Thaw"/> or <see cref="StopAsync"/> undoes it.
    /// </summary>
    public void Freeze() => Signal(SigStop);

    public void Thaw() => Signal(SigCont);

    public ValueTask DisposeAsync() => new(StopAsync());

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(Host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The entry point of one of Azurite's commands, as package.json's "bin" names it (azurite-table: dist/src/table/main.js in Azurite 3).</summary>
    private static string Script(string root, string bin)
    {
        var package = Path.Combine(root, "node_modules", "azurite");
        var manifest = Path.Combine(package, "package.json");
        if (File.Exists(manifest))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            if (document.RootElement.TryGetProperty("bin", out var bins)
                && bins.ValueKind == JsonValueKind.Object
                && bins.TryGetProperty(bin, out var entry)
                && entry.GetString() is { } relative)
            {
                return Path.GetFullPath(Path.Combine(package, relative));
            }
        }

        return Path.Combine(package, "dist", "src", bin == "azurite" ? "azurite.js" : bin.Replace("azurite-", "", StringComparison.Ordinal) + "/main.js");
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

        if (line.Contains(ClosedLine, StringComparison.Ordinal))
        {
            closed.TrySetResult();
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

    private void Signal(int signal)
    {
        if (process is null || OperatingSystem.IsWindows() || SendSignal(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not signal Azurite ({signal}).");
        }
    }

    private const int SigInt = 2;
    private const int SigCont = 18;
    private const int SigStop = 19;

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

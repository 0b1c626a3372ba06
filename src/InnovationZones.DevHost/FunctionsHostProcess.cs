using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace InnovationZones.DevHost;

/// <summary>
/// The real Azure Functions host, started as <c>func start</c> starts it: the <c>func</c> of Azure Functions
/// Core Tools when it is on PATH, else the host built from source beside the repository
/// (<c>../shared/functions-host/func</c>), which takes the same command line. It hosts a folder that holds
/// <c>host.json</c> and <c>functions.metadata</c> (the function app's build output) as it is, with the given
/// settings as environment variables, on 127.0.0.1 and a port of its own. The end-to-end tests and the
/// benchmarks use it to run the app exactly as Azure and Core Tools do; <see cref="DisposeAsync"/> stops the
/// process it started (SIGTERM, which <c>func</c> forwards to the host, which stops the worker), and no other.
/// </summary>
internal sealed partial class FunctionsHostProcess : IAsyncDisposable
{
    /// <summary>What both Core Tools and the shared <c>func</c> print once the host runs and its functions are listed.</summary>
    private const string ReadyLine = "For detailed output, run func with --verbose flag.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process process;
    private readonly string runFolder;
    private readonly Queue<string> lastLines = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FunctionsHostProcess(Process process, string runFolder, int port)
    {
        this.process = process;
        this.runFolder = runFolder;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The master key and the <c>default</c> function key, when keys are checked; null otherwise.</summary>
    public string? MasterKey { get; private set; }

    public string? FunctionKey { get; private set; }

    /// <summary>
    /// The <c>func</c> to run: Core Tools' on PATH first, then the shared build beside
    /// <paramref name="repositoryRoot"/>; null when there is neither.
    /// </summary>
    public static string? FindFunc(string repositoryRoot)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "func");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var shared = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "functions-host", "func"));
        return File.Exists(shared) ? shared : null;
    }

    /// <summary>How to get a <c>func</c>, for a message where none was found.</summary>
    public static string HowToGetFunc(string repositoryRoot) =>
        "Install Azure Functions Core Tools (func on PATH), or put the shared Functions host at " +
        Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "functions-host", "func")) + ".";

    /// <summary>
    /// Starts <c>func start</c> in <paramref name="scriptRoot"/> (a build output, hosted as it is, or the
    /// project folder, which <c>func</c> builds first) and waits until the host has listed its functions (at
    /// most <paramref name="startTimeout"/>, by default four minutes: a loaded machine needs more than one). With <paramref name="enableAuth"/> keys are checked and read back
    /// from the run's secrets folder.
    /// </summary>
    /// <exception cref="DevHostException">The host did not start; the message has its last lines of output.</exception>
    public static async Task<FunctionsHostProcess> StartAsync(
        string func, string scriptRoot, IReadOnlyDictionary<string, string?> settings, bool enableAuth, CancellationToken cancellationToken,
        TimeSpan? startTimeout = null)
    {
        var limit = startTimeout ?? StartTimeout;
        var port = Azurite.FreePort();
        var runFolder = Directory.CreateTempSubdirectory("functions-host-").FullName;
        // func runs under a guard that stops it (SIGTERM, which func forwards to the host, which stops the worker)
        // when it is told to, or as soon as this process is gone, however it ended: a test run that is killed
        // leaves no host behind.
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = scriptRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])
        [
            "-c", Guard, "functions-host-guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            func, "start", "--port", port.ToString(CultureInfo.InvariantCulture), .. enableAuth ? ["--enableAuth"] : Array.Empty<string>(),
        ])
        {
            start.ArgumentList.Add(argument);
        }

        // Polling instead of inotify for the host's and the worker's file watchers: the per-user limit of
        // inotify instances (128 by default) is soon reached by hosts that each watch several files.
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        // Keys in files of this run (Core Tools' default would be blob storage), so that they can be read back.
        start.Environment["AzureWebJobsSecretStorageType"] = "files";
        start.Environment["FUNCTIONS_SECRETS_PATH"] = Path.Combine(runFolder, "secrets");
        start.Environment.Remove("CONTAINER_NAME");
        foreach (var (name, value) in settings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Process started;
        try
        {
            started = Process.Start(start) ?? throw new DevHostException($"Could not start {func}.");
        }
        catch (Win32Exception e)
        {
            throw new DevHostException($"Could not start {func}: {e.Message}", e);
        }

        var host = new FunctionsHostProcess(started, runFolder, port);
        started.OutputDataReceived += (_, e) => host.Remember(e.Data);
        started.ErrorDataReceived += (_, e) => host.Remember(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            var exited = started.WaitForExitAsync(timeout.Token);
            var first = await Task.WhenAny(host.ready.Task, exited);
            if (first != host.ready.Task)
            {
                throw new DevHostException(started.HasExited
                    ? $"func start exited with code {started.ExitCode} before the host was ready:{Environment.NewLine}{host.Output}"
                    : $"The Functions host was not ready within {limit.TotalSeconds:0} seconds:{Environment.NewLine}{host.Output}");
            }

            if (enableAuth)
            {
                await host.ReadKeysAsync(cancellationToken);
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The host's last lines of output (at most 200), for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (lastLines)
            {
                return string.Join(Environment.NewLine, lastLines);
            }
        }
    }

    /// <summary>
    /// The host creates its keys on the first request that carries one; the keys are then in the run's
    /// secrets folder (<c>host.json</c>: the master key and the function keys).
    /// </summary>
    private async Task ReadKeysAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/host/status");
        request.Headers.Add("x-functions-key", "create-the-keys");
        using var _ = await client.SendAsync(request, cancellationToken);

        var secrets = Path.Combine(runFolder, "secrets", "host.json");
        for (var attempt = 0; attempt < 100 && !File.Exists(secrets); attempt++)
        {
            await Task.Delay(100, cancellationToken);
        }

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(secrets, cancellationToken));
        MasterKey = document.RootElement.GetProperty("masterKey").GetProperty("value").GetString();
        FunctionKey = document.RootElement.GetProperty("functionKeys").EnumerateArray()
            .Where(k => k.GetProperty("name").GetString() == "default")
            .Select(k => k.GetProperty("value").GetString())
            .FirstOrDefault();
        if (MasterKey is null || FunctionKey is null)
        {
            throw new DevHostException($"The host's keys were not found in {secrets}.");
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains(ReadyLine, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 200)
            {
                lastLines.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                if (OperatingSystem.IsWindows() || SendSignal(process.Id, SigTerm) != 0)
                {
                    process.Kill(entireProcessTree: true);
                }

                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
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
            try
            {
                Directory.Delete(runFolder, recursive: true);
            }
            catch (IOException)
            {
                // The host may still hold a log file open; the folder is in the temporary folder.
            }
        }
    }

    private const int SigTerm = 15;

    /// <summary>Runs <c>$2 ...</c> and stops it on SIGTERM or once process <c>$1</c> (the caller) has exited.</summary>
    private const string Guard = """
        parent=$1; shift
        "$@" &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit' TERM INT
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1 & wait $!; done
        kill -TERM "$child" 2>/dev/null
        wait "$child"
        """;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}

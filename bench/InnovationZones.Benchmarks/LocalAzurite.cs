using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InnovationZones.Benchmarks;

/// <summary>
/// An in-memory Azurite table service of the benchmark's own, from the repository's node_modules, on a
/// free port (never the shared 10002), stopped by its pid when disposed.
/// </summary>
internal sealed class LocalAzurite : IDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private readonly bool owned;

    private LocalAzurite(Process process, int port, bool owned = true)
    {
        this.process = process;
        this.owned = owned;
        Port = port;
    }

    /// <summary>
    /// Set by <c>all</c>: every benchmark then uses this one Azurite (and the data already loaded into it,
    /// see <see cref="Bench.LoadAsync"/>) instead of starting its own, and only its owner stops it.
    /// </summary>
    public static LocalAzurite? Shared { get; set; }

    public int Port { get; }

    public int ProcessId => process.Id;

    public static string ConnectionString(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;";

    public static async Task<LocalAzurite> StartAsync(string repositoryRoot)
    {
        if (Shared is { } shared)
        {
            return new LocalAzurite(shared.process, shared.Port, owned: false);
        }

        var script = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed: run npm ci in {repositoryRoot}.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = repositoryRoot, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // 100,000 organizations are about 750,000 entities in Azurite's in-memory store: more than node's default heap.
        foreach (var argument in new[] { "--max-old-space-size=8192", script, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new LocalAzurite(process, port);
        var started = Stopwatch.StartNew();
        while (!await IsListeningAsync(port))
        {
            if (process.HasExited || started.Elapsed > TimeSpan.FromSeconds(30))
            {
                azurite.Dispose();
                throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port}.");
            }

            await Task.Delay(100);
        }

        return azurite;
    }

    public void Dispose()
    {
        if (!owned)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    /// <summary>A free port on 127.0.0.1, never the shared Azurite's 10002.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port == 10002 ? FreePort() : port;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Benchmarks;

/// <summary>
/// One piece of work over already loaded tables, in a child process of its own, so that its memory figures
/// are its own: the peak working set and its growth over the process's before the work, the peak managed
/// heap (sampled every 5 ms), and the bytes allocated.
/// </summary>
internal static class MemoryChild
{
    /// <summary>What the work did: entities read, its duration, and the bytes it wrote (if it writes).</summary>
    public sealed record Work(long EntitiesRead, double DurationMs, long Bytes = 0);

    public sealed record Figures(long PeakWorkingSet, long WorkingSetGrowth, long PeakManaged, long Allocated, long EntitiesRead, double DurationMs, long Bytes);

    /// <summary>The child: runs <paramref name="work"/> for <c>--mode</c>, then prints its figures as one JSON line; 1 when the work returns null (it failed).</summary>
    public static async Task<int> RunAsync(string[] args, Func<string, IServiceProvider, Task<Work?>> work)
    {
        var port = Bench.Int(args, "--port", 0);
        var prefix = Bench.Option(args, "--prefix", "");
        var mode = Bench.Option(args, "--mode", "");
        await using var services = Bench.Services(port, prefix);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var startWorkingSet = process.WorkingSet64;
        using var sampling = new CancellationTokenSource();
        long peakManaged = 0, peakWorkingSet = startWorkingSet;
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                self.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                try
                {
                    await Task.Delay(5, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var done = await work(mode, services);
        await sampling.CancelAsync();
        await sampler;
        if (done is null)
        {
            return 1;
        }

        peakManaged = Math.Max(peakManaged, GC.GetGCMemoryInfo().HeapSizeBytes);
        process.Refresh();
        peakWorkingSet = Math.Max(peakWorkingSet, process.PeakWorkingSet64);
        Console.WriteLine(JsonSerializer.Serialize(new Figures(
            peakWorkingSet, peakWorkingSet - startWorkingSet, peakManaged, GC.GetTotalAllocatedBytes(precise: true), done.EntitiesRead, done.DurationMs, done.Bytes)));
        return 0;
    }

    /// <summary>The parent: runs <paramref name="command"/> with <paramref name="mode"/> in a child process over the tables of <paramref name="prefix"/>.</summary>
    public static async Task<Figures> StartAsync(string command, int port, string prefix, string mode)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MemoryChild).Assembly.Location);
        }

        foreach (var argument in new[] { command, "--port", port.ToString(CultureInfo.InvariantCulture), "--prefix", prefix, "--mode", mode })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {mode} child failed ({child.ExitCode}): {output}");
        }

        return JsonSerializer.Deserialize<Figures>(output.Trim().Split('\n')[^1])!;
    }

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Azure.Data.Tables;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Benchmarks;

/// <summary>
/// Start-up: the dev host's built dll (<c>dotnet InnovationZones.DevHost.dll --no-azurite --no-data</c>,
/// over tables already loaded) from process start to its first 200 for one organization, against a bare
/// ASP.NET Core program that answers with one point read of the same entity (this program's hidden
/// <c>bare-host</c> command), both started the same way, alternately, several times.
/// </summary>
internal static class StartupBenchmark
{
    public const string BareHostCommand = "bare-host";

    private const string Prefix = "startup";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var runs = Bench.Int(args, "--runs", 5);
        var root = Bench.RepositoryRoot();
        var configuration = typeof(StartupBenchmark).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var devHost = Path.Combine(root, "src", "InnovationZones.DevHost", "bin", configuration, "net10.0", "InnovationZones.DevHost.dll");
        if (!File.Exists(devHost))
        {
            throw new InvalidOperationException($"{devHost} is not built: dotnet build -c {configuration} src/InnovationZones.DevHost");
        }

        await using var azurite = await LocalAzurite.StartAsync(root);
        await Bench.LoadAsync(azurite.Port, Prefix, 1_000);
        var id = SyntheticData.OrganizationId(1);
        var connectionString = LocalAzurite.ConnectionString(azurite.Port);
        var (dev, bare) = (new List<double>(), new List<double>());
        for (var run = 0; run < runs; run++)
        {
            dev.Add(await TimeToFirst200Async(port =>
                [devHost, "--no-azurite", "--no-data", "--port", port,
                 .. Bench.DevHostSettings(azurite.Port, Prefix).Select(s => $"--{s.Key}={s.Value}")],
                "api/v1/organizations/" + id));
            bare.Add(await TimeToFirst200Async(port =>
                [typeof(StartupBenchmark).Assembly.Location, BareHostCommand, "--port", port, "--connection-string", connectionString, "--table", Prefix + "Organizations", "--id", id],
                ""));
            Console.Error.WriteLine($"start-up run {run + 1}: dev host {dev[^1]:0} ms, bare host {bare[^1]:0} ms");
        }

        var (devMedian, bareMedian) = (Median(dev), Median(bare));
        output.WriteLine($"### Start-up: process start to the first 200 ({runs} runs each, alternately)");
        output.WriteLine();
        Bench.Table(output, ["Program", "Median", "Min", "Max", "Runs"],
        [
            ["Dev host (`dotnet InnovationZones.DevHost.dll --no-azurite --no-data`), GET one organization", Bench.Ms(devMedian), Bench.Ms(dev.Min()), Bench.Ms(dev.Max()), Runs(dev)],
            ["Bare ASP.NET Core program, one point read", Bench.Ms(bareMedian), Bench.Ms(bare.Min()), Bench.Ms(bare.Max()), Runs(bare)],
            ["**Dev host / bare**", Bench.Ratio(devMedian / bareMedian), "", "", ""],
        ]);
        return 0;
    }

    /// <summary>The bare host: ASP.NET Core's defaults and one endpoint doing one point read, on 127.0.0.1.</summary>
    public static async Task<int> RunBareHostAsync(string[] args)
    {
        var table = new TableClient(Bench.Option(args, "--connection-string", ""), Bench.Option(args, "--table", ""));
        var id = Bench.Option(args, "--id", "");
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{Bench.Int(args, "--port", 0)}");
        await using var app = builder.Build();
        app.MapGet("/", async (CancellationToken cancellationToken) =>
            Results.Text((await table.GetEntityAsync<TableEntity>(id, Keys.MainRowKey(id), cancellationToken: cancellationToken)).Value.GetString(TableReads.DocumentProperty), "application/json"));
        await app.RunAsync();
        return 0;
    }

    private static async Task<double> TimeToFirst200Async(Func<string, string[]> arguments, string path)
    {
        var port = InnovationZones.DevHost.Azurite.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments(port.ToString(CultureInfo.InvariantCulture)))
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri($"http://127.0.0.1:{port}/{path}");
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return stopwatch.Elapsed.TotalMilliseconds;
                    }

                    throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException) when (!process.HasExited && stopwatch.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(10);
                }
                catch (HttpRequestException e)
                {
                    string text;
                    lock (log)
                    {
                        text = log.ToString();
                    }

                    throw new InvalidOperationException($"{start.ArgumentList[0]} did not answer on port {port} (exited: {process.HasExited}): {text}", e);
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Runs(List<double> values) => string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));
}

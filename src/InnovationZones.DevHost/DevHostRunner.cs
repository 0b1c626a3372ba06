using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Azure;
using InnovationZones.Aggregates;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.Extensions.Options;

namespace InnovationZones.DevHost;

/// <summary>
/// The run command: Azurite, the data, the endpoints, then serve until Ctrl-C; on the way out, stop the
/// Azurite it started. Failures a person can fix print one line, not a stack trace.
/// </summary>
internal static class DevHostRunner
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Ctrl-C and SIGTERM cancel whatever step is running: waiting for Azurite, loading, or serving.
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        Azurite? azurite = null;
        try
        {
            var command = RunCommand.Parse(args);
            if (command.Help)
            {
                output.WriteLine(RunCommand.Usage);
                return 0;
            }

            var port = command.Port
                ?? HostFiles.ReadLocalHttpPort(Path.Combine(AppContext.BaseDirectory, "local.settings.json"))
                ?? 7071;
            if (!command.LoadOnly)
            {
                ThrowIfPortInUse(port);
            }

            var options = new DevHostOptions { Urls = $"http://localhost:{port}", EnableAuth = command.EnableAuth };
            await using var app = DevHostApp.Build(options, command.ConfigurationArgs);

            if (!command.NoAzurite)
            {
                azurite = await Azurite.EnsureRunningAsync(output, stop.Token);
                output.WriteLine(azurite.Started
                    ? $"Started Azurite (pid {azurite.ProcessId}) on {Azurite.Host}:{Azurite.TablePort}, data in {azurite.Location}"
                    : $"Using the Azurite already listening on {Azurite.Host}:{Azurite.TablePort}");
            }

            if (!command.NoData)
            {
                await LoadDataAsync(app.Services, output, stop.Token);
                await RecomputeAggregatesAsync(app.Services, output, stop.Token);
            }

            if (command.LoadOnly)
            {
                return 0;
            }

            await app.StartAsync(stop.Token);
            PrintEndpoints(app, command.EnableAuth, output);
            await app.WaitForShutdownAsync(stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        catch (DevHostException e)
        {
            error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine("error: configuration: " + e.Message);
            return 1;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException or AggregateException)
        {
            error.WriteLine("error: table storage did not answer: " + FirstLine(e.Message));
            return 1;
        }
        finally
        {
            if (azurite is { Started: true })
            {
                var pid = azurite.ProcessId;
                await azurite.DisposeAsync();
                output.WriteLine($"Stopped Azurite (pid {pid})");
            }
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>
    /// Creates the tables, moves main entities that storage written before they were keyed by their id still
    /// holds under <c>RowKey = ""</c> (<see cref="MainKeyMigration"/>), and loads every data/*.json beside the
    /// binary with the app's own importer.
    /// </summary>
    private static async Task LoadDataAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var tables = services.GetRequiredService<Tables>();
        await tables.CreateIfNotExistsAsync(cancellationToken);
        if (await MainKeyMigration.MigrateAsync(tables, cancellationToken) is var moved and > 0)
        {
            output.WriteLine($"Moved {moved} row(s) of main entities from RowKey \"\" to their id");
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "data");
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
        {
            output.WriteLine($"No data/*.json in {AppContext.BaseDirectory}: nothing to load (the tables exist, empty or as they were).");
            return;
        }

        var importer = services.GetRequiredService<DatasetImporter>();
        foreach (var file in files)
        {
            ImportReport report;
            try
            {
                report = await importer.ImportFileAsync(file, cancellationToken);
            }
            catch (DatasetInvalidException e)
            {
                throw new DevHostException(
                    $"data/{Path.GetFileName(file)} is invalid; nothing from it was written. " +
                    string.Join("; ", e.Errors.Take(10).Select(x => $"{x.Path}: {x.Message}")) +
                    (e.Errors.Count > 10 ? $"; and {e.Errors.Count - 10} more" : ""), e);
            }

            var kinds = string.Join(", ", report.Counts.Select(c => $"{c.Key} {c.Value.Created}/{c.Value.Updated}/{c.Value.Unchanged}"));
            output.WriteLine($"Loaded data/{Path.GetFileName(file)}: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged ({kinds})");
        }
    }

    /// <summary>One full recompute after loading, so the stats endpoints answer from the first request.</summary>
    private static async Task RecomputeAggregatesAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var run = await services.GetRequiredService<AggregatesRecompute>().RunFullAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        output.WriteLine($"Recomputed aggregates (run {run.RunId}, {InnovationZones.Contracts.EnumNames.Name(run.Status)}): {run.AggregatesWritten} written from {run.EntitiesRead} entities read, {run.IndexEntriesRepaired.Total} index entities repaired, in {run.DurationMs:0} ms");
        if (run.Status != RunStatus.Succeeded)
        {
            throw new DevHostException("The aggregates recompute did not succeed: " + run.Error);
        }
    }

    private static void PrintEndpoints(WebApplication app, bool enableAuth, TextWriter output)
    {
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var baseUrl = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? "http://localhost";
        output.WriteLine();
        output.WriteLine("Functions:");
        foreach (var function in catalog.Http)
        {
            var methods = function.Methods.Count == 0 ? "ALL" : string.Join(",", function.Methods);
            output.WriteLine($"    {function.Name}: [{methods}] {baseUrl}/{function.Route} ({function.AuthLevel})");
        }

        foreach (var timer in catalog.Timers)
        {
            output.WriteLine($"    {timer.Name}: timerTrigger '{timer.Schedule}'{(timer.RunOnStartup ? ", runOnStartup" : "")}; run now: POST {baseUrl}/admin/functions/{timer.Name}");
        }

        foreach (var other in catalog.Unsupported)
        {
            output.WriteLine($"    {other.Name}: {other.Trigger?.Type ?? "no trigger"} (not run by the dev host)");
        }

        output.WriteLine();
        output.WriteLine("Admin:");
        output.WriteLine($"    [POST] {baseUrl}/admin/functions/{{name}} (Admin)");
        output.WriteLine($"    [GET] {baseUrl}/admin/host/status (Admin)");
        output.WriteLine();
        if (enableAuth)
        {
            var keys = app.Services.GetRequiredService<FunctionKeys>();
            output.WriteLine($"Keys (--enable-auth): send one in the {FunctionKeys.Header} header or the {FunctionKeys.QueryParameter} query parameter.");
            output.WriteLine($"    function key: {keys.FunctionKey}");
            output.WriteLine($"    master key:   {keys.MasterKey}");
        }
        else
        {
            output.WriteLine("Keys are not checked (pass --enable-auth to check them, like func start --enableAuth).");
        }

        output.WriteLine();
    }

    /// <summary>Fails before Azurite and the data, with one line, rather than with Kestrel's stack trace after them.</summary>
    private static void ThrowIfPortInUse(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new DevHostException($"Port {port} is in use on 127.0.0.1: stop what listens there, or pass --port with another port.", e);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using InnovationZones.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.DevHost;

/// <summary>
/// The part of the Functions host's admin API that development uses:
/// POST admin/functions/{name}      202: runs a timer function once, in the background (body: {"input": ""}, as JSON)
/// GET  admin/host/status           200: {"id", "state", "version", "processUptime"}
/// Both need the master key when keys are checked.
/// </summary>
internal static partial class AdminApi
{
    public static void MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("admin").WithMetadata(new HttpFunctionEndpoints.KeyRequirement(AuthorizationLevel.Admin, HostApi: true));
        admin.MapPost("functions/{name}", InvokeFunction);
        admin.MapGet("host/status", GetHostStatus);
    }

    /// <summary>
    /// As the Functions host answers, with no body: 415 unless the body is <c>application/json</c>, 400 unless
    /// it is a JSON object (<c>{"input": ""}</c>), 404 for an unknown function, and 202 otherwise. A timer runs
    /// once in the background; for an HTTP-triggered function the host answers 202 as well, and the dev host
    /// runs nothing (call its route instead).
    /// </summary>
    public static async Task<IResult> InvokeFunction(string name, HttpContext context, FunctionCatalog catalog)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return TypedResults.BadRequest();
            }
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest();
        }

        if (catalog.Find(name) is not { } function)
        {
            return TypedResults.NotFound();
        }

        if (function.IsHttp)
        {
            return TypedResults.Accepted((string?)null);
        }

        var timer = context.RequestServices.GetKeyedService<TimerTriggerService>(function.Name);
        if (timer is null)
        {
            return Problem(context, 400, "TriggerNotSupported", "Trigger not supported",
                $"'{function.Name}' has a {function.Trigger?.Type ?? "missing"} trigger; the dev host runs HTTP and timer triggers only.");
        }

        return timer.TryRunNow()
            ? TypedResults.Accepted((string?)null)
            : Problem(context, 503, "HostNotRunning", "Host not running", "The dev host is starting or stopping; try again.");
    }

    public static Ok<HostStatus> GetHostStatus(IHostApplicationLifetime lifetime)
    {
        var state = lifetime.ApplicationStopping.IsCancellationRequested ? "Stopping" : "Running";
        using var process = Process.GetCurrentProcess();
        var uptime = (long)(DateTime.Now - process.StartTime).TotalMilliseconds;
        return TypedResults.Ok(new HostStatus(HostId, state, Version, uptime));
    }

    public sealed record HostStatus(string Id, string State, string Version, long ProcessUptime);

    /// <summary>Like the host's default id: the machine name, lowercase, letters, digits and dashes, at most 32 characters.</summary>
    private static readonly string HostId = HostIdFrom(Environment.MachineName);

    private static readonly string Version =
        typeof(AdminApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AdminApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    private static string HostIdFrom(string machineName)
    {
        var id = NotIdCharacters().Replace(machineName.ToLowerInvariant(), "-").Trim('-');
        id = id.Length == 0 ? "devhost" : id;
        return id.Length > 32 ? id[..32].TrimEnd('-') : id;
    }

    private static ProblemHttpResult Problem(HttpContext context, int status, string code, string title, string detail) =>
        ProblemResponses.ToResult(new ProblemException(status, code, title, detail), context.Request.Path);

    [GeneratedRegex("[^a-z0-9-]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotIdCharacters();
}

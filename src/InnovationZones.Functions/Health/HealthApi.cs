using System.Diagnostics;
using Azure.Data.Tables;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

[assembly: ApiTag("Health", "Whether the API can reach its storage, for probes.")]

namespace InnovationZones.Health;

/// <summary>Health as reported to probes: one storage round-trip, bounded in time.</summary>
public sealed record HealthReport(string Status, long DurationMs, IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// GET health                                200 when storage answers, 503 (with Retry-After) when it does not
/// </summary>
public sealed partial class HealthApi(Tables tables, ILogger<HealthApi> logger)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Function(nameof(Health))]
    [RateBudget(RateBudget.None)]
    [ApiOperation("Health", "Health", Returns = typeof(HealthReport), UnavailableReturns = typeof(HealthReport),
        Description = "200 when storage answers within the budget, 503 with `Retry-After` when it does not. Never cached.")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestQuery.For(request);
        ContentNegotiation.Choose(request, csv: false);
        var watch = Stopwatch.StartNew();
        var healthy = await StorageAnswersAsync(cancellationToken);
        var state = healthy ? "healthy" : "unhealthy";
        var report = new HealthReport(state, watch.ElapsedMilliseconds, new Dictionary<string, string> { ["storage"] = state });
        if (!healthy)
        {
            request.HttpContext.Response.Headers.RetryAfter = ProblemResponses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        request.HttpContext.Response.Headers.CacheControl = CachePolicy.NoStore.CacheControl;
        return TypedResults.Json(report, ApiJson.Options, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>One storage round-trip within <see cref="Budget"/>: whether it came back.</summary>
    private async Task<bool> StorageAnswersAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            await tables.Zones.QueryPageAsync(ChangeLog.LiveRowsFilter, 1, null, budget.Token, ["RowKey"]);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnhealthy(e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check failed: storage did not answer")]
    private partial void LogUnhealthy(Exception exception);
}

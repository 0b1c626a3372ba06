using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Api;

/// <summary>
/// The one place where failures become RFC 9457 problem responses. The worker's middleware and the
/// dev host both call it, so the function app answers the same way under either host. Problem
/// bodies never carry exception or storage error text.
/// </summary>
public static partial class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>Seconds a caller should wait before retrying when storage is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    public static ProblemHttpResult ToResult(ProblemException problem, string? instance = null)
    {
        ProblemDetails details = problem.Errors is { Count: > 0 } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        details.Type = Problems.TypePrefix + problem.Code;
        details.Title = problem.Title;
        details.Status = problem.Status;
        details.Detail = problem.Detail();
        details.Instance = instance;
        details.Extensions["code"] = problem.Code;
        foreach (var (name, value) in problem.Extensions ?? new Dictionary<string, object?>())
        {
            details.Extensions[name] = value;
        }

        return TypedResults.Problem(details);
    }

    /// <summary>
    /// Classifies an exception that escaped a function: caller errors and storage outages get their
    /// problem; anything else is logged with its stack and answered with a bare 500.
    /// </summary>
    public static ProblemException Classify(Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case ProblemException problem:
                return problem;
            case Storage.ConcurrentWriteException:
                return Problems.WriteConflict();
            case RequestFailedException { Status: 0 or 408 or 429 or >= 500 } storage:
                LogStorageFailed(logger, storage, storage.Status, storage.ErrorCode);
                return Problems.StorageUnavailable();
            case var unreachable when Storage.StorageFailure.IsUnavailable(unreachable):
                // A cancellation here is not the caller's (WriteAsync answers those): it is the SDK's network timeout.
                LogStorageUnreachable(logger, exception);
                return Problems.StorageUnavailable();
            default:
                LogUnhandled(logger, exception);
                return Problems.Internal();
        }
    }

    /// <summary>Writes the problem for <paramref name="exception"/> unless the caller has gone away.</summary>
    public static async Task WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(logger);
            return;
        }

        var problem = Classify(exception, logger);
        if (context.Response.HasStarted)
        {
            LogResponseStarted(logger, problem.Code);
            return;
        }

        context.Response.Clear();
        context.Response.Headers.CacheControl = CachePolicy.NoStore.CacheControl;
        foreach (var (name, value) in problem.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (problem.Status == 503)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ToResult(problem, context.Request.Path).ExecuteAsync(context);
    }

    private static string Detail(this ProblemException problem) => problem.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable: status {Status}, code {ErrorCode}")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, int status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unreachable")]
    private static partial void LogStorageUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request aborted by the caller")]
    private static partial void LogAborted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response already started; could not write problem {Code}")]
    private static partial void LogResponseStarted(ILogger logger, string code);
}

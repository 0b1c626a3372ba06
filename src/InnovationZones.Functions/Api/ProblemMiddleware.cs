using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Api;

/// <summary>
/// Answers 429 for a request the rate limiter found over budget, without running the function; turns
/// exceptions that escape HTTP functions into problem responses (see <see cref="ProblemResponses"/>).
/// </summary>
internal sealed class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } over && await RateLimits.RejectIfOverBudgetAsync(over))
        {
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is { } httpContext)
        {
            await ProblemResponses.WriteAsync(httpContext, exception, logger);
        }
    }
}

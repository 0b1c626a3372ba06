using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Api;

/// <summary>Turns exceptions that escape HTTP functions into problem responses (see <see cref="ProblemResponses"/>).</summary>
internal sealed class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
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

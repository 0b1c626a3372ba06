using Azure;
using Microsoft.Extensions.DependencyInjection;
using InnovationZones.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Api;

[Trait("Category", Tier.Unit)]
public sealed class ProblemResponsesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void StorageFailuresACallerMayRetryAreStorageUnavailable(int status)
    {
        var problem = ProblemResponses.Classify(new RequestFailedException(status, "storage said something internal"), NullLogger.Instance);
        Assert.Equal(503, problem.Status);
        Assert.Equal("StorageUnavailable", problem.Code);
        Assert.DoesNotContain("internal", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnexpectedExceptionIsABare500()
    {
        var problem = ProblemResponses.Classify(new InvalidOperationException("connection string AccountKey=secret"), NullLogger.Instance);
        Assert.Equal(500, problem.Status);
        Assert.Equal("InternalError", problem.Code);
        Assert.DoesNotContain("secret", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStorageRejectionOfTheAppsOwnRequestIsA500NotTheCallersFault()
    {
        var problem = ProblemResponses.Classify(new RequestFailedException(400, "InvalidInput"), NullLogger.Instance);
        Assert.Equal(500, problem.Status);
    }

    [Fact]
    public async Task TheProblemIsWrittenAsProblemJsonWithRetryAfterFor503()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await ProblemResponses.WriteAsync(context, new RequestFailedException(503, "busy"), NullLogger.Instance);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("\"code\":\"StorageUnavailable\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingIsWrittenWhenTheCallerHasGone()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        await ProblemResponses.WriteAsync(context, new OperationCanceledException(aborted.Token), NullLogger.Instance);
        Assert.Equal(200, context.Response.StatusCode);
    }
}

using Azure;

namespace InnovationZones.Storage;

/// <summary>
/// What the Azure SDK throws when storage is down, hangs or refuses for now: a caller gets a 503, a timer
/// run ends as failed. Callers tell their own cancellation apart first: any other cancellation is the
/// SDK's network timeout.
/// </summary>
public static class StorageFailure
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        HttpRequestException or TimeoutException or IOException or OperationCanceledException => true,

        // Every try failed: the SDK throws them all together.
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };
}

using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// Counts the storage requests (round-trips, retries included) that the Azure SDK sends to the tables of
/// one prefix, from the SDK's own event source, so that a test can assert what an endpoint costs.
/// </summary>
public sealed class StorageRequests : IDisposable
{
    private readonly AzureEventSourceListener listener;
    private readonly string tablePrefix;
    private int count;

    public StorageRequests(string tablePrefix)
    {
        this.tablePrefix = tablePrefix;
        listener = new AzureEventSourceListener(OnEvent, EventLevel.Informational);
    }

    public int Count => Volatile.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public void Dispose() => listener.Dispose();

    private void OnEvent(EventWrittenEventArgs e, string message)
    {
        if (e.EventName == "Request" && message.Contains("/" + tablePrefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref count);
        }
    }
}

using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace InnovationZones.Benchmarks;

/// <summary>Storage requests this process sends to the bench's tables (named in the URL, or a transaction's $batch).</summary>
internal sealed class StorageRequestCount : IDisposable
{
    private readonly AzureEventSourceListener listener;
    private readonly string prefix;
    private long count;

    public StorageRequestCount(string prefix)
    {
        this.prefix = prefix;
        listener = new AzureEventSourceListener(OnEvent, EventLevel.Informational);
    }

    public long Count => Interlocked.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public void Dispose() => listener.Dispose();

    private void OnEvent(EventWrittenEventArgs e, string message)
    {
        if (e.EventName == "Request" && (message.Contains("/" + prefix, StringComparison.Ordinal) || message.Contains("batch", StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref count);
        }
    }
}

using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace InnovationZones.Benchmarks;

/// <summary>
/// The storage requests (round-trips, retries included) this process sends to the tables of one prefix,
/// counted from the Azure SDK's own event source, whichever client sends them: those that name a table of
/// the prefix in their URL, and, with <c>transactions</c>, every transaction (<c>$batch</c>, which names
/// none). The benchmarks count what a load costs with it, and the tests what an endpoint costs.
/// </summary>
internal sealed class StorageRequestCount : IDisposable
{
    private readonly AzureEventSourceListener listener;
    private readonly string prefix;
    private readonly bool transactions;
    private long count;

    public StorageRequestCount(string prefix, bool transactions = true)
    {
        this.prefix = prefix;
        this.transactions = transactions;
        listener = new AzureEventSourceListener(OnEvent, EventLevel.Informational);
    }

    public long Count => Interlocked.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public void Dispose() => listener.Dispose();

    private void OnEvent(EventWrittenEventArgs e, string message)
    {
        if (e.EventName == "Request" && (message.Contains("/" + prefix, StringComparison.Ordinal) || (transactions && message.Contains("batch", StringComparison.Ordinal))))
        {
            Interlocked.Increment(ref count);
        }
    }
}

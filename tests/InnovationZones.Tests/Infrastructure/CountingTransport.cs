using Azure.Core;
using Azure.Core.Pipeline;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// The SDK's own HTTP transport, counting every request it sends (retries and transactions included), for
/// a client of its own: <c>Extensions.CreateTableServiceClient(options, transport: counting)</c>.
/// <see cref="BeforeSend"/>, when set, runs before each request is sent (to stage a race).
/// </summary>
public sealed class CountingTransport : HttpPipelineTransport
{
    private readonly HttpPipelineTransport inner = HttpClientTransport.Shared;
    private int count;

    public int Count => Volatile.Read(ref count);

    public Func<Request, Task>? BeforeSend { get; set; }

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public override Request CreateRequest() => inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref count);
        if (BeforeSend is { } before)
        {
            await before(message.Request);
        }

        await inner.ProcessAsync(message);
    }
}

using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace InnovationZones.Tests.DevHost;

/// <summary>Collects log entries so that a test can wait (bounded) for one.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly Channel<Entry> entries = Channel.CreateUnbounded<Entry>();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>A log entry with the key-value pairs of the scopes it was written in.</summary>
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Scopes);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries.Writer, () => scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public async Task<Entry> WaitForAsync(Func<Entry, bool> match, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await foreach (var entry in entries.Reader.ReadAllAsync(timeout.Token))
            {
                if (match(entry))
                {
                    return entry;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"No matching log entry within {seconds} seconds.");
    }

    public void Dispose() => entries.Writer.TryComplete();

    private sealed class Logger(string category, ChannelWriter<Entry> writer, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            scopes().ForEachScope(
                (scope, into) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            into[pair.Key] = pair.Value;
                        }
                    }
                },
                values);
            writer.TryWrite(new Entry(category, logLevel, formatter(state, exception), exception, values));
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Navixy.TwoFactor.Sample.Tests;

/// <summary>Captures what the host's logging passes on: each rendered message, its structured values and any exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public int Count => _entries.Count;

    /// <summary>Everything a log sink could have written.</summary>
    public string Text => string.Join(Environment.NewLine, _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner._entries.Enqueue($"{category} {logLevel} {eventId} {formatter(state, exception)} [{string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"))}] {exception}");
        }
    }
}

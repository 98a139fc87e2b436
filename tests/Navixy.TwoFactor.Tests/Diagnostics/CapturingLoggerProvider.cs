using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>Captures every log entry at every level: the rendered message, each structured value and any exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Everything a log sink could have written, as one string per entry.</summary>
    public IEnumerable<string> AllText => Entries.Select(e => e.ToString());

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
    {
        public override string ToString() =>
            $"{Category} {Level} {EventId} {Message} [{string.Join(", ", State.Select(kv => $"{kv.Key}={kv.Value}"))}] {Exception}";
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), [.. values], exception));
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Navixy.TwoFactor.Sample;

/// <summary>
/// The sample's console format: <c>info: Category[EventId]</c> and the indented message, like the default one, except
/// that the banner (category <see cref="BannerCategory"/>) is written as it is. The banner goes through the same queue as
/// the host's start-up log lines, so it is printed after them, not between them.
/// </summary>
internal sealed class SampleConsoleFormatter() : ConsoleFormatter(Name)
{
    /// <summary>The formatter's name.</summary>
    public new const string Name = "navixy-sample";

    /// <summary>The logger category whose messages are written without a header.</summary>
    public const string BannerCategory = "Navixy.TwoFactor.Sample.Banner";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null)
        {
            return;
        }

        if (logEntry.Category == BannerCategory)
        {
            textWriter.WriteLine(message);
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        textWriter.WriteLine($"{level}: {logEntry.Category}[{logEntry.EventId.Id}]");
        textWriter.WriteLine("      " + message.ReplaceLineEndings(Environment.NewLine + "      "));
        if (logEntry.Exception is not null)
        {
            textWriter.WriteLine(logEntry.Exception.ToString());
        }
    }
}

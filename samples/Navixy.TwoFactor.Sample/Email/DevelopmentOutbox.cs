using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Email;

/// <summary>
/// THE STAND-IN FOR REAL EMAIL. The sample sends no mail: each message is printed to standard output, written
/// as a text file to a folder only the current user can read, and kept in memory (the most recent ones) so
/// tests can read codes back. A real host replaces this with its mail service behind the library's sender
/// interface. Messages never go through <c>ILogger</c>: their bodies carry one-time codes.
/// </summary>
internal sealed class DevelopmentOutbox(TimeProvider time, IOptions<OutboxOptions> options)
{
    private readonly ConcurrentQueue<OutboxMessage> _recent = new();
    private readonly Lock _fileGate = new();
    private long _sequence;

    /// <summary>The folder messages are written to.</summary>
    public string Directory => options.Value.ResolveDirectory();

    /// <summary>The most recent messages, oldest first.</summary>
    public IReadOnlyList<OutboxMessage> Recent => [.. _recent];

    /// <summary>Delivers a message to the outbox.</summary>
    /// <param name="to">The recipient's address.</param>
    /// <param name="subject">The subject line.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">Cancels the file write.</param>
    /// <returns>The message as delivered.</returns>
    public async Task<OutboxMessage> DeliverAsync(string to, string subject, string body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(to);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        var message = new OutboxMessage(time.GetUtcNow(), to, subject, body);
        var text = Render(message);

        _recent.Enqueue(message);
        while (_recent.Count > options.Value.KeepInMemory && _recent.TryDequeue(out _))
        {
        }

        var path = Path.Combine(EnsureDirectory(), FileName(message));
        await File.WriteAllTextAsync(path, text, Encoding.UTF8, cancellationToken);

        if (options.Value.WriteToConsole)
        {
            await Console.Out.WriteAsync(text + "(also written to " + path + ")" + Environment.NewLine);
        }

        return message;
    }

    private static string Render(OutboxMessage message) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        ===== DEVELOPMENT OUTBOX: stand-in for email, nothing was sent =====
        Date:    {message.SentAt:u}
        To:      {message.To}
        Subject: {message.Subject}

        {message.Body}
        =====================================================================

        """);

    private string FileName(OutboxMessage message)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{message.SentAt:yyyyMMdd-HHmmss-fff}-{Environment.ProcessId}-{sequence:D4}.txt");
    }

    private string EnsureDirectory()
    {
        var directory = Directory;
        lock (_fileGate)
        {
            if (!System.IO.Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(directory);
                }
                else
                {
                    System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }

        return directory;
    }
}

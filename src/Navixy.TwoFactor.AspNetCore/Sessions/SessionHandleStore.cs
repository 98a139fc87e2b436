using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.AspNetCore.Sessions;

/// <summary>
/// A process-local, thread-safe table of sessions of one kind, keyed by the digest of the session handle, each with
/// its own expiry. The package keeps pending second steps and step-ups in such tables; a host may keep its own sessions
/// in one per API (a panel session table and a user session table), so neither API's handle can name the other's
/// session. A backend with several nodes keeps its sessions in a shared store instead.
/// </summary>
/// <typeparam name="TSession">What a session carries.</typeparam>
/// <param name="time">The clock expiries are measured on.</param>
public sealed class SessionHandleStore<TSession>(TimeProvider time)
    where TSession : class
{
    // Expired sessions are dropped when read; a sweep every so many creations keeps abandoned ones from piling up.
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private long _created;

    /// <summary>How many sessions are held (expired ones included until they are swept).</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts a session.</summary>
    /// <param name="session">What the session carries.</param>
    /// <param name="lifetime">How long the session lasts from now.</param>
    /// <returns>The session handle, to be handed to the caller once.</returns>
    public string Create(TSession session, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var handle = SessionHandle.New();
        _sessions[SessionHandle.Digest(handle)] = new Entry(session, time.GetUtcNow() + lifetime);
        if (Interlocked.Increment(ref _created) % SweepEvery == 0)
        {
            Sweep();
        }

        return handle;
    }

    /// <summary>Finds a live session.</summary>
    /// <param name="handle">A well-formed session handle.</param>
    /// <param name="session">The session when found and not expired.</param>
    public bool TryGet(string handle, [NotNullWhen(true)] out TSession? session)
    {
        var key = SessionHandle.Digest(handle);
        if (_sessions.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > time.GetUtcNow())
            {
                session = entry.Session;
                return true;
            }

            _sessions.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        session = null;
        return false;
    }

    /// <summary>
    /// Ends a live session and hands it over. Atomic: of many concurrent calls with the same handle, at most one
    /// gets the session. This is how a restricted session is exchanged for a full one exactly once.
    /// </summary>
    /// <param name="handle">A well-formed session handle.</param>
    /// <param name="session">The session when this call ended it.</param>
    public bool TryTake(string handle, [NotNullWhen(true)] out TSession? session)
    {
        if (_sessions.TryRemove(SessionHandle.Digest(handle), out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            session = entry.Session;
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>
    /// Replaces what a live session carries, keeping its handle and expiry. Atomic: succeeds only while the session
    /// still carries exactly <paramref name="expected"/>, so of concurrent replacements (or a replacement racing
    /// <see cref="TryTake"/>) at most one wins.
    /// </summary>
    /// <param name="handle">A well-formed session handle.</param>
    /// <param name="expected">What the caller read with <see cref="TryGet"/>.</param>
    /// <param name="replacement">What the session carries from now on.</param>
    public bool TryReplace(string handle, TSession expected, TSession replacement)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        var key = SessionHandle.Digest(handle);
        return _sessions.TryGetValue(key, out var entry)
            && ReferenceEquals(entry.Session, expected)
            && entry.ExpiresAt > time.GetUtcNow()
            && _sessions.TryUpdate(key, entry with { Session = replacement }, entry);
    }

    /// <summary>Ends a session; no-op when there is none.</summary>
    /// <param name="handle">A well-formed session handle.</param>
    public void End(string handle) => _sessions.TryRemove(SessionHandle.Digest(handle), out _);

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var pair in _sessions)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                _sessions.TryRemove(pair);
            }
        }
    }

    private sealed record Entry(TSession Session, DateTimeOffset ExpiresAt);
}

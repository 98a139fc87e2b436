using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.Sample.Sessions;

/// <summary>
/// A process-local, thread-safe table of sessions of one kind, keyed by the digest of the session hash.
/// The Panel API and the user API each have their own store (<c>SessionStore&lt;PanelSession&gt;</c>,
/// <c>SessionStore&lt;UserSession&gt;</c>), so neither API's hash can name a session of the other.
/// </summary>
/// <typeparam name="TSession">What a session carries.</typeparam>
internal sealed class SessionStore<TSession>(TimeProvider time)
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
    /// <returns>The session hash, to be handed to the caller once.</returns>
    public string Create(TSession session, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var hash = SessionHash.New();
        _sessions[SessionHash.Digest(hash)] = new Entry(session, time.GetUtcNow() + lifetime);
        if (Interlocked.Increment(ref _created) % SweepEvery == 0)
        {
            Sweep();
        }

        return hash;
    }

    /// <summary>Finds a live session.</summary>
    /// <param name="hash">A well-formed session hash.</param>
    /// <param name="session">The session when found and not expired.</param>
    public bool TryGet(string hash, [NotNullWhen(true)] out TSession? session)
    {
        var key = SessionHash.Digest(hash);
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
    /// Ends a live session and hands it over. Atomic: of many concurrent calls with the same hash, at most one
    /// gets the session. This is how a restricted session is exchanged for a full one exactly once.
    /// </summary>
    /// <param name="hash">A well-formed session hash.</param>
    /// <param name="session">The session when this call ended it.</param>
    public bool TryTake(string hash, [NotNullWhen(true)] out TSession? session)
    {
        if (_sessions.TryRemove(SessionHash.Digest(hash), out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            session = entry.Session;
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>
    /// Replaces what a live session carries, keeping its hash and expiry. Atomic: succeeds only while the session
    /// still carries exactly <paramref name="expected"/>, so of concurrent replacements (or a replacement racing
    /// <see cref="TryTake"/>) at most one wins.
    /// </summary>
    /// <param name="hash">A well-formed session hash.</param>
    /// <param name="expected">What the caller read with <see cref="TryGet"/>.</param>
    /// <param name="replacement">What the session carries from now on.</param>
    public bool TryReplace(string hash, TSession expected, TSession replacement)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        var key = SessionHash.Digest(hash);
        return _sessions.TryGetValue(key, out var entry)
            && ReferenceEquals(entry.Session, expected)
            && entry.ExpiresAt > time.GetUtcNow()
            && _sessions.TryUpdate(key, entry with { Session = replacement }, entry);
    }

    /// <summary>Ends a session; no-op when there is none.</summary>
    /// <param name="hash">A well-formed session hash.</param>
    public void End(string hash) => _sessions.TryRemove(SessionHash.Digest(hash), out _);

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

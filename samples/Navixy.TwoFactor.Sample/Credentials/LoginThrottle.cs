using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Credentials;

/// <summary>
/// The sample's simple counter of wrong passwords per login (error 105 "login attempts limit exceeded").
/// Each attempt is reserved before the password is checked, so concurrent guesses cannot overshoot the limit:
/// after <see cref="CredentialOptions.MaxFailedLogins"/> failures in a row the login is refused, right password
/// or not, for <see cref="CredentialOptions.LockoutPeriod"/>. A right password resets the count. Unknown
/// logins are counted like known ones, so the answer does not tell whether a login exists.
/// </summary>
/// <remarks>
/// Process-local and keyed by login only. A production host would persist it and also limit by client address.
/// </remarks>
internal sealed class LoginThrottle(TimeProvider time, IOptions<CredentialOptions> options)
{
    // Bounds memory under a flood of made-up logins: past this, stale entries are dropped before adding.
    private const int SweepAbove = 100_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>Reserves one attempt for <paramref name="key"/>.</summary>
    /// <param name="key">The scope and normalised login, e.g. <c>user:fleet@acme.example</c>.</param>
    /// <returns><see langword="false"/> when the login is locked: answer 105 without checking the password.</returns>
    public bool TryBegin(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_counters.Count > SweepAbove)
        {
            Sweep();
        }

        var counter = _counters.GetOrAdd(key, static _ => new Counter());
        var now = time.GetUtcNow();
        var limit = options.Value.MaxFailedLogins;
        lock (counter)
        {
            if (counter.LockedUntil is { } until)
            {
                if (now < until)
                {
                    return false;
                }

                counter.Reset();
            }
            else if (counter.FailuresForgotten(now, options.Value.LockoutPeriod))
            {
                counter.Reset();
            }

            if (counter.Attempts >= limit)
            {
                // Every remaining attempt is already reserved by a concurrent caller.
                return false;
            }

            counter.Attempts++;
            return true;
        }
    }

    /// <summary>Records that the reserved attempt was a wrong password.</summary>
    /// <param name="key">The key passed to <see cref="TryBegin"/>.</param>
    public void Failed(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_counters.TryGetValue(key, out var counter))
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (counter)
        {
            counter.LastFailure = now;
            if (counter.Attempts >= options.Value.MaxFailedLogins && counter.LockedUntil is null)
            {
                counter.LockedUntil = now + options.Value.LockoutPeriod;
            }
        }
    }

    /// <summary>Records that the reserved attempt had the right password: the count starts again.</summary>
    /// <param name="key">The key passed to <see cref="TryBegin"/>.</param>
    public void Succeeded(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_counters.TryGetValue(key, out var counter))
        {
            lock (counter)
            {
                counter.Reset();
            }
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        var period = options.Value.LockoutPeriod;
        foreach (var pair in _counters)
        {
            lock (pair.Value)
            {
                if (pair.Value.IsStale(now, period))
                {
                    _counters.TryRemove(pair);
                }
            }
        }
    }

    private sealed class Counter
    {
        public int Attempts { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        // Failures older than the period are forgotten; an attempt still in flight (no failure recorded yet) is not.
        public bool FailuresForgotten(DateTimeOffset now, TimeSpan period) =>
            LastFailure != default && now - LastFailure >= period;

        public bool IsStale(DateTimeOffset now, TimeSpan period) => LockedUntil is { } until
            ? now >= until
            : Attempts == 0 || FailuresForgotten(now, period);

        public void Reset()
        {
            Attempts = 0;
            LastFailure = default;
            LockedUntil = null;
        }
    }
}

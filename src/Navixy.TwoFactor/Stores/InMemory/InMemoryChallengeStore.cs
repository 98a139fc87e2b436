using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local challenge store. Every operation on a challenge runs under its principal's lock, so
/// one principal's verifies, resends and failure count are serialised (exactly one pass, at most N evaluated,
/// the lockout never overshoots) while different principals never wait for each other. Challenges also sit in a
/// priority queue by end time; each create removes up to two ended ones, so memory stays flat however many are
/// abandoned, and <see cref="PurgeExpiredAsync"/> removes exactly the ended ones whatever order they were made in.
/// A passed challenge keeps its pass time until it is removed, so that its token can be redeemed once as step-up proof.
/// </summary>
internal sealed class InMemoryChallengeStore : IChallengeStore
{
    private const int CleanupPerCreate = 2;

    private readonly ConcurrentDictionary<ChallengeKey, Challenge> _challenges = new();
    private readonly ConcurrentDictionary<PrincipalKey, PrincipalState> _principals = new();
    private readonly PriorityQueue<Challenge, DateTimeOffset> _byExpiry = new();
    private readonly object _cleanupGate = new();

    /// <summary>Challenges held, ended ones not yet removed included.</summary>
    internal int ChallengeCount => _challenges.Count;

    /// <summary>Principals with a failure count or a lockout.</summary>
    internal int PrincipalCount => _principals.Count;

    /// <summary>Entries of the cleanup queue.</summary>
    internal int CleanupQueueLength
    {
        get
        {
            lock (_cleanupGate)
            {
                return _byExpiry.Count;
            }
        }
    }

    /// <summary>The stored code digest of a challenge, for tests that inspect what is at rest.</summary>
    internal byte[]? FindDigest(TenantId tenant, ReadOnlySpan<byte> tokenHash) =>
        _challenges.TryGetValue(ChallengeKey.From(tenant, tokenHash), out var challenge) ? challenge.Digest : null;

    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(challenge.Tenant, nameof(challenge));
        var digest = CheckHash(challenge.CodeDigest.Span, nameof(challenge)).ToArray();
        var key = ChallengeKey.From(challenge.Tenant, CheckHash(challenge.TokenHash.Span, nameof(challenge)));
        var principal = new PrincipalKey(challenge.Tenant, challenge.PrincipalId);

        if (_principals.TryGetValue(principal, out var state))
        {
            lock (state)
            {
                if (!state.Removed && state.LockedUntil > challenge.CreatedAt)
                {
                    return new(ChallengeStoreResult.PrincipalLocked(challenge.PrincipalId, state.LockedUntil.Value));
                }
            }
        }

        var entry = new Challenge(key, principal, challenge.Factor, digest, challenge.CodeExpiresAt, challenge.ExpiresAt, challenge.ResendAvailableAt);
        if (!_challenges.TryAdd(key, entry))
        {
            // 256-bit random tokens do not collide; a duplicate means the caller reused a token hash.
            throw new InvalidOperationException("A challenge with this token hash already exists.");
        }

        lock (_cleanupGate)
        {
            // Amortised cleanup: every create retires up to two ended challenges, so the live set stays bounded.
            _byExpiry.Enqueue(entry, entry.ExpiresAt);
            RemoveEnded(challenge.CreatedAt, CleanupPerCreate);
        }

        return new(ChallengeStoreResult.Created);
    }

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var presented = CheckHash(codeDigest.Span, nameof(codeDigest));
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge))
        {
            return new(ChallengeStoreResult.NotFound);
        }

        var principalId = challenge.Principal.PrincipalId;
        var state = Acquire(challenge.Principal);
        try
        {
            if (Refusal(challenge, state, now, limits, challenge.CodeExpiresAt) is { } refused)
            {
                return new(refused);
            }

            // Reserve the attempt before comparing: a concurrent guess can never slip past the limit.
            challenge.Attempts++;
            if (CryptographicOperations.FixedTimeEquals(challenge.Digest, presented))
            {
                return new(Pass(challenge, state, now));
            }

            return new(ChallengeStoreResult.WrongCode(principalId, challenge.Attempts, CountFailure(state, now, limits)));
        }
        finally
        {
            Release(challenge.Principal, state);
        }
    }

    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var digest = CheckHash(codeDigest.Span, nameof(codeDigest)).ToArray();
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge))
        {
            return new(ChallengeStoreResult.NotFound);
        }

        var principalId = challenge.Principal.PrincipalId;
        var state = Acquire(challenge.Principal);
        try
        {
            if (!challenge.Revoked && challenge.Factor != FactorTypes.Email)
            {
                return new(ChallengeStoreResult.NoCodeToSend(principalId, challenge.Factor));
            }

            // A resend may come after the code expired, as long as the challenge itself has not ended.
            if (Refusal(challenge, state, now, limits, challenge.ExpiresAt) is { } refused)
            {
                return new(refused);
            }

            if (challenge.Sends >= limits.MaxSends)
            {
                return new(ChallengeStoreResult.Refused(ChallengeStoreOutcome.SendLimitReached, principalId));
            }

            if (now < challenge.ResendAvailableAt)
            {
                return new(ChallengeStoreResult.TooSoon(principalId, challenge.ResendAvailableAt));
            }

            challenge.Digest = digest;
            challenge.Sends++;
            challenge.CodeExpiresAt = codeExpiresAt < challenge.ExpiresAt ? codeExpiresAt : challenge.ExpiresAt;
            challenge.ResendAvailableAt = nextResendAt;
            return new(ChallengeStoreResult.CodeReplaced(principalId, challenge.Sends, challenge.CodeExpiresAt, challenge.ResendAvailableAt));
        }
        finally
        {
            Release(challenge.Principal, state);
        }
    }

    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge))
        {
            return new(ChallengeStoreResult.NotFound);
        }

        var state = Acquire(challenge.Principal);
        try
        {
            return new(Refusal(challenge, state, now, limits, challenge.CodeExpiresAt) is { } refused
                ? refused.Outcome == ChallengeStoreOutcome.NotFound ? refused : refused with { Factor = challenge.Factor }
                : ChallengeStoreResult.Open(challenge.Principal.PrincipalId, challenge.Factor));
        }
        finally
        {
            Release(challenge.Principal, state);
        }
    }

    public ValueTask<ChallengeStoreResult> ConsumeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge))
        {
            return new(ChallengeStoreResult.NotFound);
        }

        var state = Acquire(challenge.Principal);
        try
        {
            if (Refusal(challenge, state, now, limits, challenge.CodeExpiresAt) is { } refused)
            {
                return new(refused);
            }

            challenge.Attempts++;
            return new(Pass(challenge, state, now));
        }
        finally
        {
            Release(challenge.Principal, state);
        }
    }

    public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge)
            || challenge.Principal.PrincipalId != principalId)
        {
            return new(false);
        }

        var state = Acquire(challenge.Principal);
        try
        {
            if (challenge.Revoked || challenge.StepUpRedeemed || challenge.PassedAt is not { } passedAt || passedAt <= passedAfter || now >= challenge.ExpiresAt)
            {
                return new(false);
            }

            challenge.StepUpRedeemed = true;
            return new(true);
        }
        finally
        {
            Release(challenge.Principal, state);
        }
    }

    public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        var key = new PrincipalKey(tenant, principalId);
        var state = Acquire(key);
        try
        {
            if (state.LockedUntil > now)
            {
                return new(ChallengeStoreResult.PrincipalLocked(principalId, state.LockedUntil.Value));
            }

            return new(ChallengeStoreResult.WrongCode(principalId, 0, CountFailure(state, now, limits)));
        }
        finally
        {
            Release(key, state);
        }
    }

    public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash)));
        if (!_challenges.TryGetValue(key, out var challenge))
        {
            return new(false);
        }

        // Flag it under the principal's lock so that an operation already holding a reference sees it gone.
        var state = Acquire(challenge.Principal);
        try
        {
            challenge.Revoked = true;
        }
        finally
        {
            Release(challenge.Principal, state);
        }

        return new(_challenges.TryRemove(KeyValuePair.Create(key, challenge)));
    }

    public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = new PrincipalKey(tenant, principalId);
        if (!_principals.ContainsKey(key))
        {
            return new(false);
        }

        var state = Acquire(key);
        try
        {
            var had = state.Failures > 0 || state.LockedUntil is not null;
            state.Failures = 0;
            state.LockedUntil = null;
            return new(had);
        }
        finally
        {
            Release(key, state);
        }
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_cleanupGate)
        {
            return new(RemoveEnded(now, batchSize));
        }
    }

    /// <summary>
    /// The checks every attempt and resend passes first, in the contract's order; <see langword="null"/> when the
    /// challenge is open. <paramref name="endsAt"/> is the code's expiry for an attempt, the challenge's for a resend.
    /// Caller holds the principal's lock.
    /// </summary>
    private static ChallengeStoreResult? Refusal(Challenge challenge, PrincipalState state, DateTimeOffset now, ChallengeLimits limits, DateTimeOffset endsAt)
    {
        var principalId = challenge.Principal.PrincipalId;
        if (challenge.Revoked)
        {
            return ChallengeStoreResult.NotFound;
        }

        if (challenge.Consumed)
        {
            return ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, principalId);
        }

        if (challenge.Attempts >= limits.MaxAttempts)
        {
            return ChallengeStoreResult.Refused(ChallengeStoreOutcome.Locked, principalId);
        }

        if (now >= endsAt)
        {
            return ChallengeStoreResult.Refused(ChallengeStoreOutcome.Expired, principalId);
        }

        if (state.LockedUntil > now)
        {
            return ChallengeStoreResult.PrincipalLocked(principalId, state.LockedUntil.Value);
        }

        return null;
    }

    /// <summary>Consumes the challenge and clears the principal's failures. Caller holds the principal's lock and has reserved the attempt.</summary>
    private static ChallengeStoreResult Pass(Challenge challenge, PrincipalState state, DateTimeOffset now)
    {
        challenge.Consumed = true;
        challenge.PassedAt = now;
        state.Failures = 0;
        state.LockedUntil = null;
        return ChallengeStoreResult.Passed(challenge.Principal.PrincipalId, challenge.Attempts);
    }

    /// <summary>Adds one consecutive failure and sets the lockout it earns. Caller holds the principal's lock.</summary>
    private static DateTimeOffset? CountFailure(PrincipalState state, DateTimeOffset now, ChallengeLimits limits)
    {
        state.Failures++;
        var lockedUntil = limits.LockUntil(state.Failures, now);
        if (lockedUntil is not null)
        {
            state.LockedUntil = lockedUntil;
        }

        return lockedUntil;
    }

    /// <summary>Removes up to <paramref name="max"/> challenges that ended at or before <paramref name="now"/>. Caller holds the cleanup gate.</summary>
    private int RemoveEnded(DateTimeOffset now, int max)
    {
        var removed = 0;
        // Entries already revoked are dequeued without counting; each is dequeued once, so the cost stays amortised O(1).
        while (removed < max && _byExpiry.TryPeek(out var head, out var expiresAt) && expiresAt <= now)
        {
            _byExpiry.Dequeue();
            if (_challenges.TryRemove(KeyValuePair.Create(head.Key, head)))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Takes the principal's lock, making its state if needed; retries when the state was just retired.</summary>
    private PrincipalState Acquire(PrincipalKey key)
    {
        while (true)
        {
            var state = _principals.GetOrAdd(key, static _ => new PrincipalState());
            Monitor.Enter(state);
            if (!state.Removed)
            {
                return state;
            }

            Monitor.Exit(state);
        }
    }

    /// <summary>Retires a state with nothing to remember (so memory is bounded by principals that failed), then unlocks.</summary>
    private void Release(PrincipalKey key, PrincipalState state)
    {
        try
        {
            if (state.Failures == 0 && state.LockedUntil is null)
            {
                state.Removed = true;
                _principals.TryRemove(KeyValuePair.Create(key, state));
            }
        }
        finally
        {
            Monitor.Exit(state);
        }
    }

    private static ReadOnlySpan<byte> CheckHash(ReadOnlySpan<byte> hash, string paramName) =>
        hash.Length == IChallengeStore.HashLength
            ? hash
            : throw new ArgumentException($"Hashes and digests are {IChallengeStore.HashLength} bytes.", paramName);

    private readonly record struct ChallengeKey(TenantId Tenant, ulong H0, ulong H1, ulong H2, ulong H3)
    {
        public static ChallengeKey From(TenantId tenant, ReadOnlySpan<byte> hash)
        {
            TenantId.ThrowIfInvalid(tenant);
            return new(
                tenant,
                BinaryPrimitives.ReadUInt64LittleEndian(hash),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        }
    }

    private readonly record struct PrincipalKey(TenantId Tenant, long PrincipalId);

    /// <summary>A principal's consecutive failures and lockout; guarded by its own monitor.</summary>
    private sealed class PrincipalState
    {
        public int Failures { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        /// <summary>Retired from the dictionary; a thread that locked it must fetch a fresh one.</summary>
        public bool Removed { get; set; }
    }

    /// <summary>One challenge. Mutable fields are guarded by its principal's lock.</summary>
    private sealed class Challenge(ChallengeKey key, PrincipalKey principal, FactorTypes factor, byte[] digest, DateTimeOffset codeExpiresAt, DateTimeOffset expiresAt, DateTimeOffset resendAvailableAt)
    {
        public ChallengeKey Key { get; } = key;

        public PrincipalKey Principal { get; } = principal;

        public FactorTypes Factor { get; } = factor;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public byte[] Digest { get; set; } = digest;

        public DateTimeOffset CodeExpiresAt { get; set; } = codeExpiresAt;

        public DateTimeOffset ResendAvailableAt { get; set; } = resendAvailableAt;

        public int Attempts { get; set; }

        public int Sends { get; set; } = 1;

        public bool Consumed { get; set; }

        /// <summary>When it was passed; kept until the challenge is removed, for step-up proof.</summary>
        public DateTimeOffset? PassedAt { get; set; }

        public bool StepUpRedeemed { get; set; }

        public bool Revoked { get; set; }
    }
}

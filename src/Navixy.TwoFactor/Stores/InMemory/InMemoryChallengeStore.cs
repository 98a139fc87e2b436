using System.Collections.Concurrent;
using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local challenge store: every decision is <see cref="SecondStepRules"/>, applied under the
/// principal's lock, so one principal's verifies, reservations, settlements, resends and failure count are serialised
/// (exactly one pass, at most N evaluated, the lockout never overshoots) while different principals never wait for
/// each other. A settled pass spends its time step or recovery code in the authenticator stores under the same lock,
/// so the spend and the pass are one step. Challenges also sit in a priority queue by end time; each create removes up
/// to two ended ones, so memory stays flat however many are abandoned, and <see cref="PurgeExpiredAsync"/> removes exactly
/// the ended ones. A passed challenge keeps its pass time until it is removed, so its token can be redeemed once as
/// step-up proof.
/// </summary>
internal sealed partial class InMemoryChallengeStore(ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes) : IChallengeStore
{
    private const int CleanupPerCreate = 2;

    /// <summary>A store over its own in-memory authenticator store (for tests and benchmarks).</summary>
    internal InMemoryChallengeStore()
        : this(new InMemoryTotpStore())
    {
    }

    private InMemoryChallengeStore(InMemoryTotpStore authenticators)
        : this(authenticators, authenticators)
    {
    }

    private readonly ConcurrentDictionary<ChallengeKey, Challenge> _challenges = new();
    private readonly ConcurrentDictionary<PrincipalKey, PrincipalEntry> _principals = new();
    private readonly PriorityQueue<Challenge, DateTimeOffset> _byExpiry = new();
    private readonly object _cleanupGate = new();
    private readonly ITotpEnrollmentStore _enrollments = enrollments ?? throw new ArgumentNullException(nameof(enrollments));
    private readonly IRecoveryCodeStore _recoveryCodes = recoveryCodes ?? throw new ArgumentNullException(nameof(recoveryCodes));

    /// <summary>Challenges held, ended ones not yet removed included.</summary>
    internal int ChallengeCount => _challenges.Count;

    /// <summary>Principals with a failure count, a lockout or a challenge.</summary>
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

    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(challenge.Tenant, nameof(challenge));
        var digest = CheckHash(challenge.CodeDigest.Span, nameof(challenge)).ToArray();
        var key = ChallengeKey.From(challenge.Tenant, CheckHash(challenge.TokenHash.Span, nameof(challenge)));
        return CreateCoreAsync(challenge, key, digest, limits, cancellationToken);
    }

    private async ValueTask<ChallengeStoreResult> CreateCoreAsync(NewChallenge challenge, ChallengeKey key, byte[] digest, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        var principal = new PrincipalKey(challenge.Tenant, challenge.PrincipalId);

        Challenge added;
        var entry = await AcquireAsync(principal, cancellationToken).ConfigureAwait(false);
        try
        {
            var decided = SecondStepRules.Create(challenge, entry.State, limits);
            if (decided.Result.Outcome != ChallengeStoreOutcome.Created)
            {
                return decided.Result;
            }

            added = new Challenge(key, principal, digest, decided.Challenge);
            if (!_challenges.TryAdd(key, added))
            {
                // 256-bit random tokens do not collide; a duplicate means the caller reused a token hash.
                throw new InvalidOperationException("A challenge with this token hash already exists.");
            }

            RevokeOldestOpen(entry, challenge.CreatedAt, limits);
            entry.Held.Add(added);
            entry.State = decided.Principal;
        }
        finally
        {
            Release(principal, entry);
        }

        // Amortised cleanup: every create retires up to two ended challenges, so the live set stays bounded.
        await CleanUpAsync(added, challenge.CreatedAt, CleanupPerCreate).ConfigureAwait(false);
        return ChallengeStoreResult.Created;
    }

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var presented = CheckHash(codeDigest.Span, nameof(codeDigest)).ToArray();
        return ApplyAsync(tenant, tokenHash, (challenge, entry) =>
            SecondStepRules.Verify(challenge.State, entry.State, CryptographicOperations.FixedTimeEquals(challenge.Digest, presented), now, limits), cancellationToken);
    }

    public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ApplyAsync(tenant, tokenHash, (challenge, entry) => SecondStepRules.Reserve(challenge.State, entry.State, now, limits), cancellationToken);
    }

    public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge)
            ? SettleCoreAsync(tenant, challenge, settlement, now, limits)
            : new(ChallengeStoreResult.NotFound);
    }

    private async ValueTask<ChallengeStoreResult> SettleCoreAsync(TenantId tenant, Challenge challenge, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits)
    {
        var entry = await AcquireAsync(challenge.Principal, CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (challenge.Revoked)
            {
                return ChallengeStoreResult.NotFound;
            }

            // The spend runs under the principal's lock, so no other settlement of this principal can pass in between.
            var spent = settlement.Kind == ChallengeSettlementKind.Pass
                || (SecondStepRules.MaySpendProof(challenge.State, settlement.Kind)
                    && await SpendAsync(tenant, challenge.Principal.PrincipalId, settlement).ConfigureAwait(false));
            var decided = SecondStepRules.Settle(challenge.State, entry.State, settlement.Kind, spent, now, limits);
            challenge.State = decided.Challenge;
            entry.State = decided.Principal;
            return decided.Result;
        }
        finally
        {
            Release(challenge.Principal, entry);
        }
    }

    public async ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var digest = CheckHash(codeDigest.Span, nameof(codeDigest)).ToArray();
        return await ApplyAsync(
            tenant,
            tokenHash,
            (challenge, entry) =>
            {
                var decided = SecondStepRules.Resend(challenge.State, entry.State, now, codeExpiresAt, nextResendAt, limits);
                if (decided.Result.Outcome == ChallengeStoreOutcome.CodeReplaced)
                {
                    challenge.Digest = digest;
                }

                return decided;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ApplyAsync(tenant, tokenHash, (challenge, entry) =>
            new(SecondStepRules.Find(challenge.State, entry.State, now, limits), challenge.State, entry.State), cancellationToken);
    }

    public async ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var redeemed = false;
        await ApplyAsync(
            tenant,
            tokenHash,
            (challenge, entry) =>
            {
                redeemed = SecondStepRules.RedeemStepUp(challenge.State, principalId, passedAfter, now, out var next);
                return new(ChallengeStoreResult.NotFound, next, entry.State);
            },
            cancellationToken).ConfigureAwait(false);
        return redeemed;
    }

    public async ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        var key = new PrincipalKey(tenant, principalId);
        var entry = await AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var decided = SecondStepRules.RecordFailure(principalId, entry.State, now, limits);
            entry.State = decided.Principal;
            return decided.Result;
        }
        finally
        {
            Release(key, entry);
        }
    }

    public async ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge))
        {
            return false;
        }

        var entry = await AcquireAsync(challenge.Principal, cancellationToken).ConfigureAwait(false);
        try
        {
            var existed = !challenge.Revoked;
            Withdraw(entry, challenge);
            return existed;
        }
        finally
        {
            Release(challenge.Principal, entry);
        }
    }

    public async ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        var key = new PrincipalKey(tenant, principalId);
        if (!_principals.ContainsKey(key))
        {
            return false;
        }

        var entry = await AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var had = !entry.State.IsEmpty || entry.Held.Count > 0 || entry.State.LastSentAt is not null;
            while (entry.Held.Count > 0)
            {
                Withdraw(entry, entry.Held[^1]);
            }

            entry.State = default;
            return had;
        }
        finally
        {
            Release(key, entry);
        }
    }

    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = new PrincipalKey(tenant, principalId);
        if (!_principals.ContainsKey(key))
        {
            return false;
        }

        var entry = await AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var had = !entry.State.IsEmpty;
            entry.State = SecondStepRules.Unlock(entry.State);
            return had;
        }
        finally
        {
            Release(key, entry);
        }
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        return CleanUpAsync(null, now, batchSize);
    }

    /// <summary>Finds a challenge, takes its principal's lock, applies one decision of the rules and writes its states back.</summary>
    private ValueTask<ChallengeStoreResult> ApplyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, Func<Challenge, PrincipalEntry, ChallengeTransition> decide, CancellationToken cancellationToken) =>
        _challenges.TryGetValue(ChallengeKey.From(tenant, CheckHash(tokenHash.Span, nameof(tokenHash))), out var challenge)
            ? ApplyCoreAsync(challenge, decide, cancellationToken)
            : new(ChallengeStoreResult.NotFound);

    private async ValueTask<ChallengeStoreResult> ApplyCoreAsync(Challenge challenge, Func<Challenge, PrincipalEntry, ChallengeTransition> decide, CancellationToken cancellationToken)
    {
        var entry = await AcquireAsync(challenge.Principal, cancellationToken).ConfigureAwait(false);
        try
        {
            if (challenge.Revoked)
            {
                return ChallengeStoreResult.NotFound;
            }

            var decided = decide(challenge, entry);
            challenge.State = decided.Challenge;
            entry.State = decided.Principal;
            return decided.Result;
        }
        finally
        {
            Release(challenge.Principal, entry);
        }
    }

    /// <summary>Spends the proof of a pass in the authenticator stores: the time step, or the recovery code. Caller holds the principal's lock.</summary>
    private async ValueTask<bool> SpendAsync(TenantId tenant, long principalId, ChallengeSettlement settlement) => settlement.Kind switch
    {
        ChallengeSettlementKind.PassWithTimeStep =>
            await _enrollments.TryAdvanceStepAsync(tenant, principalId, settlement.ActiveSecret!, settlement.TimeStep, CancellationToken.None).ConfigureAwait(false),
        ChallengeSettlementKind.PassWithRecoveryCode =>
            await _recoveryCodes.TryMarkUsedAsync(tenant, principalId, settlement.RecoveryCode!, CancellationToken.None).ConfigureAwait(false),
        _ => false,
    };
}

using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// A full <see cref="IChallengeStore"/> over a thin <see cref="IChallengeRecordStore"/>: every operation reads the
/// principal's record, decides with <see cref="SecondStepRules"/> and writes the record back with one compare-and-swap,
/// reading and deciding again when another writer won. Every decision about a challenge and its principal (attempts,
/// failures, lockout, exactly one pass, the send cooldown and the cap of open challenges) is therefore atomic. Register it
/// as the <see cref="IChallengeStore"/> singleton, over the same authenticator stores the engine uses.
/// </summary>
/// <remarks>
/// <para><b>What is and is not atomic.</b> Everything the challenge store itself decides is one compare-and-swap of one
/// principal record. A settled pass with a proof (<see cref="ChallengeSettlementKind.PassWithTimeStep"/>,
/// <see cref="ChallengeSettlementKind.PassWithRecoveryCode"/>) also spends the proof in another store, which no swap of
/// the record can include, so it runs in two steps: first the proof is spent with the authenticator store's conditional
/// update (<see cref="ITotpEnrollmentStore.TryAdvanceStepAsync"/>, <see cref="IRecoveryCodeStore.TryMarkUsedAsync"/>),
/// then the challenge is consumed by a compare-and-swap of the record. Consequences:</para>
/// <list type="bullet">
/// <item><description>Copies of the <b>same</b> proof stay exactly-once, on one challenge or several: the spend is
/// conditional, so exactly one copy spends it and passes; every other copy finds it spent and answers
/// <see cref="ChallengeStoreOutcome.Consumed"/> without counting a failure.</description></item>
/// <item><description>A spent proof always leads to a pass unless, between the spend and the swap, the challenge was
/// consumed by a <b>different</b> proof (another right authenticator code or recovery code on the same challenge) or
/// removed (revoked, purged, its principal removed). Then that proof was spent without a pass of its own: the answer is
/// <see cref="ChallengeStoreOutcome.Consumed"/> (or not found), and the time step or recovery code stays used. A store that
/// implements <see cref="IChallengeStore"/> directly does both in one transaction and has no such window.</description></item>
/// <item><description>A proof is never spent on a challenge that was already consumed when the settlement read it
/// (<see cref="SecondStepRules.MaySpendProof"/>), and never by a release or a wrong code.</description></item>
/// </list>
/// <para>The token index is written apart from the principal records (insert before a challenge is added, delete after it
/// is removed); an index entry without its challenge answers not found, so a stop between the two writes leaves only
/// garbage, never a wrong answer.</para>
/// <para><see cref="PurgeExpiredAsync"/> uses <see cref="IChallengeRecordStore.FindPrincipalsWithEndedChallengesAsync"/>;
/// each create also drops the principal's ended challenges, so a record stays small even when no purge runs.</para>
/// </remarks>
public sealed partial class RuleBasedChallengeStore : IChallengeStore, IPrincipalLockoutReader
{
    private readonly IChallengeRecordStore _records;
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;

    /// <summary>Creates the adapter.</summary>
    /// <param name="records">The thin record store.</param>
    /// <param name="enrollments">Where a pass with an authenticator code spends its time step.</param>
    /// <param name="recoveryCodes">Where a pass with a recovery code marks it used.</param>
    public RuleBasedChallengeStore(IChallengeRecordStore records, ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes)
    {
        _records = records ?? throw new ArgumentNullException(nameof(records));
        _enrollments = enrollments ?? throw new ArgumentNullException(nameof(enrollments));
        _recoveryCodes = recoveryCodes ?? throw new ArgumentNullException(nameof(recoveryCodes));
    }

    /// <inheritdoc/>
    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(challenge.Tenant, nameof(challenge));
        var token = CheckHash(challenge.TokenHash, nameof(challenge)).ToArray();
        var digest = CheckHash(challenge.CodeDigest, nameof(challenge)).ToArray();
        return CreateCoreAsync(challenge, token, digest, limits, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        var presented = CheckHash(codeDigest, nameof(codeDigest)).ToArray();
        return ApplyAsync(
            tenant,
            tokenHash,
            (challenge, principal) => SecondStepRules.Verify(challenge.State, principal, CryptographicOperations.FixedTimeEquals(challenge.CodeDigest, presented), now, limits),
            replacementDigest: null,
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        return ApplyAsync(
            tenant,
            tokenHash,
            (challenge, principal) => new(SecondStepRules.Find(challenge.State, principal, now, limits), challenge.State, principal),
            replacementDigest: null,
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        return ApplyAsync(tenant, tokenHash, (challenge, principal) => SecondStepRules.Reserve(challenge.State, principal, now, limits), replacementDigest: null, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A pass with a proof spends it first (conditionally, in the authenticator store) and then consumes the challenge with a
    /// compare-and-swap; if the challenge was consumed by a different proof or removed in between, the proof stays spent
    /// without a pass of its own (see the remarks on <see cref="RuleBasedChallengeStore"/>). Once started, a settlement is
    /// not cancelled: the reservation must be released.
    /// </remarks>
    public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        return SettleCoreAsync(tenant, tokenHash.ToArray(), settlement, now, limits);
    }

    /// <inheritdoc/>
    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        var digest = CheckHash(codeDigest, nameof(codeDigest)).ToArray();
        return ApplyAsync(
            tenant,
            tokenHash,
            (challenge, principal) => SecondStepRules.Resend(challenge.State, principal, now, codeExpiresAt, nextResendAt, limits),
            digest,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        var redeemed = false;
        await ApplyAsync(
            tenant,
            tokenHash,
            (challenge, principal) =>
            {
                // Decided again on every retry: only the attempt whose swap lands counts.
                redeemed = SecondStepRules.RedeemStepUp(challenge.State, principalId, passedAfter, now, out var next);
                return new(ChallengeStoreResult.NotFound, next, principal);
            },
            replacementDigest: null,
            cancellationToken).ConfigureAwait(false);
        return redeemed;
    }

    /// <inheritdoc/>
    public async ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        while (true)
        {
            var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            var record = stored?.Record ?? PrincipalChallengesRecord.Empty;
            var decided = SecondStepRules.RecordFailure(principalId, record.Principal, now, limits);
            if (decided.Principal == record.Principal
                || await TryWriteAsync(tenant, principalId, stored, record with { Principal = decided.Principal }, cancellationToken).ConfigureAwait(false))
            {
                return decided.Result;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckKey(tenant, tokenHash);
        if (await _records.FindTokenAsync(tenant, tokenHash, cancellationToken).ConfigureAwait(false) is not { } principalId)
        {
            return false;
        }

        while (true)
        {
            var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            var index = stored is { } found ? IndexOf(found.Record, tokenHash.Span) : -1;
            if (index < 0)
            {
                return false;
            }

            var record = stored!.Value.Record;
            var next = record with { Challenges = Without(record.Challenges, index) };
            if (await TryWriteAsync(tenant, principalId, stored, next, cancellationToken).ConfigureAwait(false))
            {
                await _records.DeleteTokenAsync(tenant, tokenHash, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        while (true)
        {
            if (await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return false;
            }

            if (await _records.TryDeletePrincipalAsync(tenant, principalId, stored.Version, cancellationToken).ConfigureAwait(false))
            {
                await DeleteTokensAsync(tenant, stored.Record.Challenges).ConfigureAwait(false);
                var principal = stored.Record.Principal;
                return !principal.IsEmpty || principal.LastSentAt is not null || stored.Record.Challenges.Count > 0;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TenantId.ThrowIfInvalid(tenant);
        while (true)
        {
            var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (stored is not { } found || found.Record.Principal.IsEmpty)
            {
                return false;
            }

            var next = found.Record with { Principal = SecondStepRules.Unlock(found.Record.Principal) };
            if (await TryWriteAsync(tenant, principalId, stored, next, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var purged = 0;
        while (purged < batchSize)
        {
            var keys = await _records.FindPrincipalsWithEndedChallengesAsync(now, batchSize - purged, cancellationToken).ConfigureAwait(false);
            var before = purged;
            foreach (var key in keys)
            {
                if (purged >= batchSize)
                {
                    break;
                }

                purged += await PurgePrincipalAsync(key, now, batchSize - purged, cancellationToken).ConfigureAwait(false);
            }

            // Nothing listed, or nothing left to remove among what was listed (others purged it meanwhile): done.
            if (purged == before)
            {
                break;
            }
        }

        return purged;
    }

    /// <inheritdoc/>
    public async ValueTask<PrincipalLockState> GetPrincipalStateAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        return stored?.Record.Principal ?? default;
    }
}

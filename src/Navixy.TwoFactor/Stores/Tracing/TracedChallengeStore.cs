using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IChallengeStore"/> with a span per call (<c>navixy.twofactor.store challenge.…</c>).</summary>
internal class TracedChallengeStore(IChallengeStore inner) : IChallengeStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    /// <summary>Wraps <paramref name="inner"/>, keeping its one-round-trip reserve-and-read (<see cref="IChallengeAttemptStore"/>) when it has one.</summary>
    public static IChallengeStore Wrap(IChallengeStore inner) =>
        inner is IChallengeAttemptStore attempts ? new TracedAttemptChallengeStore(inner, attempts) : new TracedChallengeStore(inner);

    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedCreateAsync(challenge, limits, cancellationToken) : inner.CreateAsync(challenge, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedCreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.create");
        try
        {
            return await inner.CreateAsync(challenge, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedVerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken) : inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedVerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.verify");
        try
        {
            return await inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedFindAsync(tenant, tokenHash, now, limits, cancellationToken) : inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedFindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.find");
        try
        {
            return await inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedReserveAsync(tenant, tokenHash, now, limits, cancellationToken) : inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.reserve");
        try
        {
            return await inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedSettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken) : inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedSettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.settle");
        try
        {
            return await inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedRedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken) : inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken);

    private async ValueTask<bool> TracedRedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.redeem_step_up");
        try
        {
            return await inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedRecordFailureAsync(tenant, principalId, now, limits, cancellationToken) : inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedRecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.record_failure");
        try
        {
            return await inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken) : inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken);

    private async ValueTask<ChallengeStoreResult> TracedReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.replace_code");
        try
        {
            return await inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedRevokeAsync(tenant, tokenHash, cancellationToken) : inner.RevokeAsync(tenant, tokenHash, cancellationToken);

    private async ValueTask<bool> TracedRevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.revoke");
        try
        {
            return await inner.RevokeAsync(tenant, tokenHash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedRemovePrincipalAsync(tenant, principalId, cancellationToken) : inner.RemovePrincipalAsync(tenant, principalId, cancellationToken);

    private async ValueTask<bool> TracedRemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.remove_principal");
        try
        {
            return await inner.RemovePrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedResetPrincipalAsync(tenant, principalId, cancellationToken) : inner.ResetPrincipalAsync(tenant, principalId, cancellationToken);

    private async ValueTask<bool> TracedResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.reset_principal");
        try
        {
            return await inner.ResetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedPurgeExpiredAsync(now, batchSize, cancellationToken) : inner.PurgeExpiredAsync(now, batchSize, cancellationToken);

    private async ValueTask<int> TracedPurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("challenge.purge_expired");
        try
        {
            return await inner.PurgeExpiredAsync(now, batchSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

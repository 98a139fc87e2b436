using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IChallengeStore"/> with a span per call (<c>navixy.twofactor.store challenge.…</c>).</summary>
internal sealed class TracedChallengeStore(IChallengeStore inner) : IChallengeStore
{
    public async ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
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

    public async ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
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

    public async ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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

    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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

    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
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

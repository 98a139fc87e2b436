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
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.create", () => inner.CreateAsync(challenge, limits, cancellationToken)) : inner.CreateAsync(challenge, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.verify", () => inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken)) : inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.find", () => inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken)) : inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.reserve", () => inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken)) : inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.settle", () => inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken)) : inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken);

    public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.redeem_step_up", () => inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken)) : inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken);

    public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.record_failure", () => inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken)) : inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.replace_code", () => inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken)) : inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken);

    public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.revoke", () => inner.RevokeAsync(tenant, tokenHash, cancellationToken)) : inner.RevokeAsync(tenant, tokenHash, cancellationToken);

    public ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.remove_principal", () => inner.RemovePrincipalAsync(tenant, principalId, cancellationToken)) : inner.RemovePrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.reset_principal", () => inner.ResetPrincipalAsync(tenant, principalId, cancellationToken)) : inner.ResetPrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("challenge.purge_expired", () => inner.PurgeExpiredAsync(now, batchSize, cancellationToken)) : inner.PurgeExpiredAsync(now, batchSize, cancellationToken);
}

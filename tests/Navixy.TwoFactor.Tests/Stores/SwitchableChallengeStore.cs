using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory store, until told to throw (as a database that went away) or to answer nonsense.</summary>
public sealed class SwitchableChallengeStore : IChallengeStore
{
    private readonly InMemoryChallengeStore _inner;

    /// <summary>Over its own in-memory authenticator stores.</summary>
    public SwitchableChallengeStore() => _inner = new InMemoryChallengeStore();

    /// <summary>Over the authenticator stores a settled pass spends in (the ones the engine under test uses).</summary>
    public SwitchableChallengeStore(ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes) => _inner = new InMemoryChallengeStore(enrollments, recoveryCodes);

    public bool Throw { get; set; }

    public bool ThrowOnRevoke { get; set; }

    /// <summary>Verify and consume answer an outcome they cannot give (created).</summary>
    public bool Nonsense { get; set; }

    /// <summary>Find and reserve answer "passed", which they cannot give.</summary>
    public bool FindPasses { get; set; }

    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.CreateAsync(challenge, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException()
        : Nonsense ? new(ChallengeStoreResult.Created)
        : _inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException()
        : FindPasses ? new(ChallengeStoreResult.Passed(1, 1))
        : _inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException()
        : FindPasses ? new(ChallengeStoreResult.Passed(1, 1))
        : _inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException()
        : Nonsense ? new(ChallengeStoreResult.Created)
        : _inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken);

    public ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.RemovePrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken);

    public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken);

    public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) =>
        Throw || ThrowOnRevoke ? throw new TimeoutException() : _inner.RevokeAsync(tenant, tokenHash, cancellationToken);

    public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.ResetPrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.PurgeExpiredAsync(now, batchSize, cancellationToken);
}

using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory store, until told to throw (as a database that went away) or to answer nonsense.</summary>
public sealed class SwitchableChallengeStore : IChallengeStore
{
    private readonly InMemoryChallengeStore _inner = new();

    public bool Throw { get; set; }

    public bool ThrowOnRevoke { get; set; }

    public bool Nonsense { get; set; }

    public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.CreateAsync(challenge, cancellationToken);

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException()
        : Nonsense ? new(ChallengeStoreResult.Created)
        : _inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken);

    public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken);

    public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) =>
        Throw || ThrowOnRevoke ? throw new TimeoutException() : _inner.RevokeAsync(tenant, tokenHash, cancellationToken);

    public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.ResetPrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Throw ? throw new TimeoutException() : _inner.PurgeExpiredAsync(now, batchSize, cancellationToken);
}

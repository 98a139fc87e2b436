using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary>A traced challenge store whose store also reserves an attempt and reads what it needs in one round trip.</summary>
internal sealed class TracedAttemptChallengeStore(IChallengeStore inner, IChallengeAttemptStore attempts) : TracedChallengeStore(inner), IChallengeAttemptStore
{
    public ValueTask<ReservedAttempt> ReserveAndReadAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, string? recoveryLookupId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
        StoreSpan.Enabled
            ? StoreSpan.TraceAsync("challenge.reserve_and_read", () => attempts.ReserveAndReadAsync(tenant, tokenHash, recoveryLookupId, now, limits, cancellationToken))
            : attempts.ReserveAndReadAsync(tenant, tokenHash, recoveryLookupId, now, limits, cancellationToken);
}

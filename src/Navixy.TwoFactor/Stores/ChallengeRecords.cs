using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// One challenge as a <see cref="PrincipalChallengesRecord"/> holds it: its key, its current code's digest and the state
/// <see cref="SecondStepRules"/> reads and changes. Treat it as immutable: <see cref="RuleBasedChallengeStore"/> writes a
/// new record for every change.
/// </summary>
/// <param name="TokenHash">The token's keyed hash (<see cref="IChallengeStore.HashLength"/> bytes); with the tenant, the challenge's key.</param>
/// <param name="CodeDigest">The current code's keyed digest (<see cref="IChallengeStore.HashLength"/> bytes).</param>
/// <param name="State">The challenge's state.</param>
public sealed record ChallengeRecord(byte[] TokenHash, byte[] CodeDigest, ChallengeState State);

/// <summary>
/// Everything the second-step rules need about one principal, in one record, so that every decision is one
/// compare-and-swap of it (<see cref="IChallengeRecordStore"/>): the failure count, lockout and last send, and the
/// principal's challenges that have not been removed yet, oldest first. The list stays small: a create drops the
/// principal's ended challenges and revokes its oldest open ones beyond <see cref="ChallengeLimits.MaxOpenChallenges"/>,
/// so it holds at most that many open challenges plus the passed ones that have not ended.
/// </summary>
/// <param name="Principal">The principal's failure count, lockout and last send.</param>
/// <param name="Challenges">Its challenges, oldest first. Treat it as immutable.</param>
public sealed record PrincipalChallengesRecord(PrincipalLockState Principal, IReadOnlyList<ChallengeRecord> Challenges)
{
    /// <summary>A principal with nothing to remember and no challenge.</summary>
    public static PrincipalChallengesRecord Empty { get; } = new(default, []);

    /// <summary>
    /// Whether nothing needs keeping (no failures, no lockout, no challenge): the adapter deletes such a record rather than
    /// writing it. The last send only matters while a challenge lives, as in the in-memory store.
    /// </summary>
    public bool IsEmpty => Principal.IsEmpty && Challenges.Count == 0;

    /// <summary>
    /// The earliest <see cref="ChallengeState.ExpiresAt"/> among the challenges, or <see langword="null"/> when there is
    /// none. A store that indexes this value answers <see cref="IChallengeRecordStore.FindPrincipalsWithEndedChallengesAsync"/>
    /// with a range scan.
    /// </summary>
    public DateTimeOffset? NextEndAt
    {
        get
        {
            DateTimeOffset? earliest = null;
            foreach (var challenge in Challenges)
            {
                if (earliest is null || challenge.State.ExpiresAt < earliest)
                {
                    earliest = challenge.State.ExpiresAt;
                }
            }

            return earliest;
        }
    }
}

/// <summary>A principal record as read, with the version a compare-and-swap of it must name.</summary>
/// <param name="Record">The record.</param>
/// <param name="Version">Its version: opaque; chosen by the writer, compared by the store.</param>
public readonly record struct VersionedPrincipalRecord(PrincipalChallengesRecord Record, long Version);

/// <summary>The key of a principal record: the tenant and the principal.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="PrincipalId">The principal.</param>
public readonly record struct PrincipalRecordKey(TenantId Tenant, long PrincipalId);

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;

namespace Navixy.TwoFactor.Sample.StepUp;

/// <summary>
/// The step-ups of signed-in users: begun with a library challenge, passed with its code, then redeemed once by a
/// sensitive call, which hands the challenge token to the library (<c>ITotpEnrollment</c> checks that the same user
/// passed it within its step-up lifetime, once). A step-up is bound to the full session that began it and lives as
/// long as a restricted session (<see cref="SessionLifetimeOptions.PendingLifetime"/>). Emailed step-ups are spaced by
/// the library, not here: its start refuses (C9) within the resend interval of the user's last code, login codes
/// included, and reserves the send atomically, so concurrent step-up starts send one email in all.
/// </summary>
internal sealed class StepUps(SessionStore<StepUpSession> store, IOptions<SessionLifetimeOptions> lifetimes)
{
    /// <summary>Records a step-up begun for a user, and answers its <c>step_up_hash</c>.</summary>
    /// <param name="user">The signed-in user.</param>
    /// <param name="ownerHash">The full session hash of the call.</param>
    /// <param name="challengeToken">The library's challenge token.</param>
    /// <param name="factor">The factor it runs.</param>
    public string Start(SampleUser user, string ownerHash, string challengeToken, FactorTypes factor)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(ownerHash);
        ArgumentException.ThrowIfNullOrEmpty(challengeToken);
        var session = new StepUpSession(user.Dealer, user.Id, SessionHash.Digest(ownerHash), challengeToken, factor);
        return store.Create(session, lifetimes.Value.PendingLifetime);
    }

    /// <summary>Finds a live step-up of this user begun by this full session.</summary>
    /// <param name="stepUpHash">A well-formed <c>step_up_hash</c>.</param>
    /// <param name="ownerHash">The full session hash of the call.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="session">The step-up.</param>
    public bool TryFind(string stepUpHash, string ownerHash, SampleUser user, [NotNullWhen(true)] out StepUpSession? session)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (store.TryGet(stepUpHash, out session) && IsOf(session, ownerHash, user))
        {
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>Marks a step-up as passed after the library accepted its code. Atomic.</summary>
    /// <param name="stepUpHash">The step-up's hash.</param>
    /// <param name="session">The step-up as found.</param>
    public bool TryMarkPassed(string stepUpHash, StepUpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return store.TryReplace(stepUpHash, session, session with { Passed = true });
    }

    /// <summary>
    /// Ends a passed step-up of this user and this full session and hands over its challenge token, for one sensitive
    /// call. Atomic: of concurrent calls with one hash, at most one gets the token.
    /// </summary>
    /// <param name="stepUpHash">A well-formed <c>step_up_hash</c>.</param>
    /// <param name="ownerHash">The full session hash of the call.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="challengeToken">The passed challenge's token.</param>
    public bool TryRedeem(string stepUpHash, string ownerHash, SampleUser user, [NotNullWhen(true)] out string? challengeToken)
    {
        challengeToken = null;
        if (!TryFind(stepUpHash, ownerHash, user, out var found) || !found.Passed || !store.TryTake(stepUpHash, out var taken))
        {
            return false;
        }

        challengeToken = taken.ChallengeToken;
        return true;
    }

    private static bool IsOf(StepUpSession session, string ownerHash, SampleUser user) =>
        session.Dealer == user.Dealer && session.UserId == user.Id
        && string.Equals(session.OwnerDigest, SessionHash.Digest(ownerHash), StringComparison.Ordinal);
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>
/// The step-ups of signed-in users: begun with a library challenge, passed with its code, then redeemed once by a
/// sensitive call. A step-up is bound to the user and the full session that began it, lives as long as a pending second
/// step, and is handed over once after passing; whether the pass is still proof is the library's to decide
/// (<c>ITwoFactorStepUp</c>, within <c>Totp.StepUpLifetime</c>). Emailed step-ups are
/// spaced by the library (its start refuses within the resend interval of the user's last code).
/// </summary>
internal sealed class StepUps(TimeProvider time, IOptions<TwoFactorHttpOptions> options)
{
    private readonly SessionHandleStore<StepUpSession> _store = new(time);

    /// <summary>Records a step-up begun for a user, and answers its <c>step_up_hash</c>.</summary>
    public string Start(TwoFactorUser user, string ownerHash, string challengeToken, FactorTypes factor)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(ownerHash);
        ArgumentException.ThrowIfNullOrEmpty(challengeToken);
        return _store.Create(new StepUpSession(user, SessionHandle.Digest(ownerHash), challengeToken, factor), options.Value.PendingLifetime);
    }

    /// <summary>Finds a live step-up of this user begun by this full session.</summary>
    public bool TryFind(string stepUpHash, string ownerHash, TwoFactorUser user, [NotNullWhen(true)] out StepUpSession? session)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (_store.TryGet(stepUpHash, out session) && IsOf(session, ownerHash, user))
        {
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>Marks a step-up as passed after the library accepted its code. Atomic.</summary>
    public bool TryMarkPassed(string stepUpHash, StepUpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _store.TryReplace(stepUpHash, session, session with { PassedAt = time.GetUtcNow() });
    }

    /// <summary>
    /// Ends a passed step-up of this user and this full session and hands it over, for one sensitive call, whose library
    /// call then redeems the passed challenge. Atomic: of concurrent calls with one hash, at most one gets it.
    /// </summary>
    public bool TryRedeem(string stepUpHash, string ownerHash, TwoFactorUser user, [NotNullWhen(true)] out StepUpSession? redeemed)
    {
        redeemed = null;
        if (!TryFind(stepUpHash, ownerHash, user, out var found)
            || found.PassedAt is null
            || !_store.TryTake(stepUpHash, out var taken))
        {
            return false;
        }

        redeemed = taken;
        return true;
    }

    private static bool IsOf(StepUpSession session, string ownerHash, TwoFactorUser user) =>
        session.User.Tenant == user.Tenant && session.User.PrincipalId == user.PrincipalId
        && string.Equals(session.OwnerDigest, SessionHandle.Digest(ownerHash), StringComparison.Ordinal);
}

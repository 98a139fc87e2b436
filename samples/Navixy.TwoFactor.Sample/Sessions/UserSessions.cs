using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Sessions;

/// <summary>
/// The user API's sessions, of two kinds: full, and restricted to the second step. Only
/// <see cref="TryUpgrade"/> turns a restricted session into a full one, and it does so at most once.
/// </summary>
internal sealed class UserSessions(SessionStore<UserSession> store, IOptions<SessionLifetimeOptions> options)
{
    /// <summary>Starts a full session: for a user who needs no second step, or has just passed it.</summary>
    /// <param name="dealer">The user's dealer.</param>
    /// <param name="userId">The user (account or sub-user) id.</param>
    /// <returns>The session hash.</returns>
    public string StartFull(TenantId dealer, long userId) =>
        store.Create(new UserSession(dealer, userId, UserSessionKind.Full), options.Value.UserLifetime);

    /// <summary>Starts a restricted session for a user whose password was right and whose second step has begun.</summary>
    /// <param name="dealer">The user's dealer.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="factorType">The factor's wire name, e.g. <c>email</c>.</param>
    /// <param name="challengeToken">The library's challenge token for the second step.</param>
    /// <param name="alternativeFactors">The factors the user may switch to instead.</param>
    /// <returns>The restricted session hash.</returns>
    public string StartPending(TenantId dealer, long userId, string factorType, string challengeToken, FactorTypes alternativeFactors = FactorTypes.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(factorType);
        ArgumentException.ThrowIfNullOrEmpty(challengeToken);
        var session = new UserSession(dealer, userId, UserSessionKind.SecondFactorPending)
        {
            FactorType = factorType,
            ChallengeToken = challengeToken,
            AlternativeFactors = alternativeFactors,
        };
        return store.Create(session, options.Value.PendingLifetime);
    }

    /// <summary>Finds a full session. A restricted session is not found here.</summary>
    /// <param name="hash">A well-formed hash.</param>
    /// <param name="session">The full session.</param>
    public bool TryGetFull(string hash, [NotNullWhen(true)] out UserSession? session) =>
        TryGet(hash, UserSessionKind.Full, out session);

    /// <summary>Finds a restricted session (for the authentication-code calls only).</summary>
    /// <param name="hash">A well-formed hash.</param>
    /// <param name="session">The restricted session.</param>
    public bool TryGetPending(string hash, [NotNullWhen(true)] out UserSession? session) =>
        TryGet(hash, UserSessionKind.SecondFactorPending, out session);

    /// <summary>Finds a session of either kind (for <c>user/logout</c>).</summary>
    /// <param name="hash">A well-formed hash.</param>
    /// <param name="session">The session.</param>
    public bool TryGetAny(string hash, [NotNullWhen(true)] out UserSession? session) => store.TryGet(hash, out session);

    /// <summary>
    /// Replaces what a restricted session carries (its challenge after a factor switch), keeping its hash and expiry.
    /// Atomic: succeeds only while the session still carries exactly <paramref name="expected"/>.
    /// </summary>
    /// <param name="hash">The restricted session's hash.</param>
    /// <param name="expected">The session as read with <see cref="TryGetPending"/>.</param>
    /// <param name="replacement">The session from now on; still restricted.</param>
    public bool TryReplacePending(string hash, UserSession expected, UserSession replacement)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        return expected.Kind == UserSessionKind.SecondFactorPending
            && replacement.Kind == UserSessionKind.SecondFactorPending
            && store.TryReplace(hash, expected, replacement);
    }

    /// <summary>
    /// Ends a restricted session and starts a full one for the same user. Call it only after the library has
    /// accepted the second step for this session's challenge. Atomic: of concurrent calls with one hash, at most
    /// one succeeds.
    /// </summary>
    /// <param name="pendingHash">The restricted session's hash.</param>
    /// <param name="fullHash">The new full session's hash.</param>
    public bool TryUpgrade(string pendingHash, [NotNullWhen(true)] out string? fullHash)
    {
        fullHash = null;
        if (!store.TryGet(pendingHash, out var pending) || pending.Kind != UserSessionKind.SecondFactorPending)
        {
            return false;
        }

        if (!store.TryTake(pendingHash, out pending))
        {
            return false;
        }

        fullHash = StartFull(pending.Dealer, pending.UserId);
        return true;
    }

    /// <summary>Ends a session of either kind.</summary>
    /// <param name="hash">A well-formed hash.</param>
    public void End(string hash) => store.End(hash);

    private bool TryGet(string hash, UserSessionKind kind, [NotNullWhen(true)] out UserSession? session)
    {
        if (store.TryGet(hash, out session) && session.Kind == kind)
        {
            return true;
        }

        session = null;
        return false;
    }
}

using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Sessions;

/// <summary>What a user session may be used for.</summary>
internal enum UserSessionKind
{
    /// <summary>A signed-in user: every user API call.</summary>
    Full = 1,

    /// <summary>
    /// Password checked, second factor not yet passed: good only for the authentication-code calls
    /// (<c>user/auth/code/verify</c>, <c>user/auth/code/resend</c>, <c>user/auth/factor/switch</c>) and
    /// <c>user/logout</c>. Every other call answers error 4.
    /// </summary>
    SecondFactorPending = 2,
}

/// <summary>A user API session.</summary>
/// <param name="Dealer">The dealer the user belongs to.</param>
/// <param name="UserId">The principal (account or sub-user) id, unique within the dealer only.</param>
/// <param name="Kind">Full, or restricted to the second step.</param>
internal sealed record UserSession(TenantId Dealer, long UserId, UserSessionKind Kind)
{
    /// <summary>For a pending session, the factor type's wire name (e.g. <c>email</c>); otherwise <see langword="null"/>.</summary>
    public string? FactorType { get; init; }

    /// <summary>
    /// For a pending session, the factors the user may still switch to (<c>user/auth/factor/switch</c>, once per
    /// sign-in); <see cref="FactorTypes.None"/> otherwise and after a switch.
    /// </summary>
    public FactorTypes AlternativeFactors { get; init; }

    /// <summary>
    /// For a pending session, the library's challenge token of the second step (opaque; only this server holds
    /// it, the client holds the session hash); otherwise <see langword="null"/>. Never logged.
    /// </summary>
    public string? ChallengeToken { get; init; }

    /// <summary>Describes the session without its challenge token.</summary>
    public override string ToString() => $"{Kind} session of user {UserId} in {Dealer}";
}

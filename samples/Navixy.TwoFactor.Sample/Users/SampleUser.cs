using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// A user login as the host keeps it: who it is in which dealer, and its password hash. The library keeps the
/// 2FA side of the same principal (registered through <c>ITwoFactorDirectory</c> under the same dealer and id).
/// </summary>
/// <param name="Dealer">The dealer the user belongs to.</param>
/// <param name="Id">The principal id; unique within the dealer only (another dealer may use the same number).</param>
/// <param name="Login">The login (an email address), unique across the platform.</param>
/// <param name="Name">A display name.</param>
/// <param name="Email">Where second-step codes are sent.</param>
/// <param name="Kind">An account, or a sub-user of <paramref name="AccountId"/>.</param>
/// <param name="AccountId">The account itself, or the account a sub-user belongs to.</param>
/// <param name="Origin">How the account came to exist (for a sub-user, its account's origin).</param>
/// <param name="IsDemo">Whether it is (a sub-user of) a demo account.</param>
/// <param name="Password">The password hash.</param>
/// <param name="Issuer">The dealer's name: the issuer an authenticator app shows beside the login.</param>
internal sealed record SampleUser(
    TenantId Dealer,
    long Id,
    string Login,
    string Name,
    string Email,
    PrincipalKind Kind,
    long AccountId,
    AccountOrigin Origin,
    bool IsDemo,
    PasswordHash Password,
    string Issuer)
{
    /// <summary>The user as the package's endpoints see it.</summary>
    public TwoFactorUser ToTwoFactorUser() => new(Dealer, Id, Login) { IsDemo = IsDemo, Issuer = Issuer };

    /// <summary>Describes the user without the password hash.</summary>
    public override string ToString() => $"{Kind} {Id} ({Login}) in {Dealer}";
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Hosting;

/// <summary>
/// A user of the host as the endpoints need it: the library's principal (dealer and id, as registered with
/// <c>ITwoFactorDirectory</c>), its login, and whether it is a demo user. Never carries a password.
/// </summary>
/// <param name="Tenant">The user's dealer.</param>
/// <param name="PrincipalId">The account or sub-user id, unique within the dealer.</param>
/// <param name="Login">The login; an authenticator app shows it beside the issuer.</param>
public sealed record TwoFactorUser(TenantId Tenant, long PrincipalId, string Login)
{
    /// <summary>Whether it is (a sub-user of) a demo account: its two-factor settings are not its own to change (error 101).</summary>
    public bool IsDemo { get; init; }

    /// <summary>The issuer an authenticator app shows for this user, usually the dealer's name. Default <c>Navixy</c>.</summary>
    public string Issuer { get; init; } = "Navixy";

    /// <summary>Describes the user by dealer and id.</summary>
    public override string ToString() => $"user {PrincipalId} in {Tenant}";
}

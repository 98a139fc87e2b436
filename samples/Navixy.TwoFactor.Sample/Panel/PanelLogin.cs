using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>An Admin Panel login of a dealer.</summary>
/// <param name="Dealer">The dealer whose panel this login signs in to.</param>
/// <param name="Login">The login, unique across the platform.</param>
/// <param name="Permissions">What its sessions may do.</param>
/// <param name="Password">The password hash.</param>
internal sealed record PanelLogin(TenantId Dealer, string Login, PanelPermissions Permissions, PasswordHash Password)
{
    /// <summary>Describes the login without the password hash.</summary>
    public override string ToString() => $"panel login {Login} of {Dealer}";
}

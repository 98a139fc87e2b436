using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>An Admin Panel session: which dealer it acts for, who signed in, and what they may do.</summary>
/// <param name="Dealer">The dealer every Panel API call of this session acts inside.</param>
/// <param name="Login">The panel login that signed in.</param>
/// <param name="Permissions">What the session may do.</param>
internal sealed record PanelSession(TenantId Dealer, string Login, PanelPermissions Permissions)
{
    /// <summary>How the audit trail names this session's caller: <c>panel:</c> and the login.</summary>
    public string Actor => "panel:" + Login;
}

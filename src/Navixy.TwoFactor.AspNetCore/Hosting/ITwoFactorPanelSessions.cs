using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Hosting;

/// <summary>What a panel session may do with users' MFA settings (Navixy's <c>users</c> permissions).</summary>
[Flags]
public enum PanelUserPermissions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>users: read</c>, needed by the reads.</summary>
    Read = 1,

    /// <summary><c>users: update</c>, needed by the updates.</summary>
    Update = 2,
}

/// <summary>A live Admin Panel session: the dealer every call of it acts inside, and its permissions.</summary>
/// <param name="Dealer">The dealer.</param>
/// <param name="Permissions">What it may do with users.</param>
public sealed record PanelAccess(TenantId Dealer, PanelUserPermissions Permissions)
{
    /// <summary>
    /// Who uses the session, as the audit trail should name them (for example <c>admin:17</c>); null names the dealer's
    /// panel (<c>panel:dealer:{id}</c>). Never the session hash.
    /// </summary>
    public string? Actor { get; init; }
}

/// <summary>What only the host knows about its Admin Panel sessions, for the Panel API's MFA settings endpoints.</summary>
public interface ITwoFactorPanelSessions
{
    /// <summary>The dealer and permissions of a live panel session; <see langword="null"/> for any other hash (a user session's included).</summary>
    /// <param name="hash">A well-formed session hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<PanelAccess?> FindAsync(string hash, CancellationToken cancellationToken);
}

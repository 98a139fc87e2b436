namespace Navixy.TwoFactor.AspNetCore.Hosting;

/// <summary>
/// What only the host knows about its users, for the user second-step endpoints: checking a password, issuing its own
/// full session once the second step is passed (or not needed), and telling whose a full session is. The library keeps
/// no passwords and no full sessions.
/// </summary>
public interface ITwoFactorUserAccounts
{
    /// <summary>Checks a login and password (under the host's own failure counter).</summary>
    /// <param name="login">The login as sent.</param>
    /// <param name="password">The password as sent; never logged.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<UserPasswordCheck> CheckPasswordAsync(string login, string password, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the host's full session for <paramref name="user"/>: called when no second step is required, or after it
    /// was passed. Answers the session hash the client sends as <c>Authorization: NVX &lt;hash&gt;</c>.
    /// </summary>
    /// <param name="user">The user who signed in.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<string> StartSessionAsync(TwoFactorUser user, CancellationToken cancellationToken);

    /// <summary>The user of a live full session (for step-up and authenticator calls); <see langword="null"/> for any other hash.</summary>
    /// <param name="hash">A well-formed session hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<TwoFactorUser?> FindSessionAsync(string hash, CancellationToken cancellationToken);
}

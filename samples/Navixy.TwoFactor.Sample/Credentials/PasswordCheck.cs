namespace Navixy.TwoFactor.Sample.Credentials;

/// <summary>What a password check concluded.</summary>
internal enum PasswordCheckResult
{
    /// <summary>The login exists and the password is right.</summary>
    Passed = 1,

    /// <summary>Unknown login or wrong password (error 102; the two are not told apart).</summary>
    WrongLoginOrPassword = 2,

    /// <summary>Too many wrong passwords for this login lately (error 105); the password was not checked.</summary>
    Locked = 3,
}

/// <summary>Checks a password under the failure counter, shared by the Panel API and the user API.</summary>
internal sealed class PasswordCheck(PasswordHasher hasher, LoginThrottle throttle)
{
    /// <summary>Checks <paramref name="password"/> against <paramref name="stored"/>.</summary>
    /// <param name="scope">Which API's logins, e.g. <c>panel</c> or <c>user</c>: their counters are separate.</param>
    /// <param name="login">The login as sent.</param>
    /// <param name="password">The password as sent.</param>
    /// <param name="stored">The login's stored hash; <see langword="null"/> for an unknown login (checked against a decoy, to take the same time).</param>
    public PasswordCheckResult Check(string scope, string login, string password, PasswordHash? stored)
    {
        var key = scope + ":" + LoginName.Normalize(login);
        if (!throttle.TryBegin(key))
        {
            return PasswordCheckResult.Locked;
        }

        var passed = stored is null ? hasher.VerifyDecoy(password) : PasswordHasher.Verify(stored, password);
        if (passed)
        {
            throttle.Succeeded(key);
            return PasswordCheckResult.Passed;
        }

        throttle.Failed(key);
        return PasswordCheckResult.WrongLoginOrPassword;
    }
}

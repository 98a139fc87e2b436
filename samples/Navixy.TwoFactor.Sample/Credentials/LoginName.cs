namespace Navixy.TwoFactor.Sample.Credentials;

/// <summary>Logins are matched without regard to case or surrounding spaces.</summary>
internal static class LoginName
{
    /// <summary>The longest login accepted; longer ones are invalid parameters.</summary>
    public const int MaxLength = 254;

    /// <summary>The form logins are filed and looked up under.</summary>
    /// <param name="login">A login as typed.</param>
#pragma warning disable CA1308 // Logins are filed lower-case; nothing compares them upper-case.
    public static string Normalize(string login) => (login ?? string.Empty).Trim().ToLowerInvariant();
#pragma warning restore CA1308
}

namespace Navixy.TwoFactor;

/// <summary>The HMAC algorithm of a TOTP secret (RFC 6238). Authenticator apps expect <see cref="Sha1"/>.</summary>
public enum TotpAlgorithm
{
    /// <summary>HMAC-SHA1, the default every authenticator app supports.</summary>
    Sha1 = 0,

    /// <summary>HMAC-SHA256.</summary>
    Sha256 = 1,

    /// <summary>HMAC-SHA512.</summary>
    Sha512 = 2,
}

/// <summary>The parameters an authenticator app needs besides the secret.</summary>
/// <param name="Algorithm">The HMAC algorithm.</param>
/// <param name="Digits">Code length: 6 or 8.</param>
/// <param name="PeriodSeconds">Seconds per time step.</param>
public readonly record struct TotpParameters(TotpAlgorithm Algorithm, int Digits, int PeriodSeconds)
{
    /// <summary>SHA1, 6 digits, 30 seconds: what every authenticator app supports.</summary>
    public static TotpParameters Default { get; } = new(TotpAlgorithm.Sha1, 6, 30);
}

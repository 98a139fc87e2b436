using System.Globalization;
using Navixy.TwoFactor.Cryptography;
using OtpNet;

namespace Navixy.TwoFactor.Totp;

/// <summary>Builds <c>otpauth://totp/</c> URIs (the Key URI Format that authenticator apps scan as a QR code).</summary>
public static class OtpAuthUri
{
    /// <summary>Builds the URI for a secret.</summary>
    /// <param name="issuer">The service name shown in the app (e.g. the dealer's brand); not empty.</param>
    /// <param name="accountName">The account label shown in the app (e.g. the login); not empty.</param>
    /// <param name="secret">The raw secret: at least 16 bytes (20 recommended, RFC 4226 §4).</param>
    /// <param name="parameters">Algorithm, digits and period.</param>
    /// <returns>The URI. It contains the secret: show it once, never log it.</returns>
    /// <exception cref="ArgumentException">An empty issuer or account name, or a secret shorter than 16 bytes.</exception>
    public static string Create(string issuer, string accountName, ReadOnlySpan<byte> secret, TotpParameters parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        if (secret.Length < TotpFactor.MinSecretLength)
        {
            throw new ArgumentException($"An authenticator secret must be at least {TotpFactor.MinSecretLength} bytes.", nameof(secret));
        }

        var base32 = Base32Encoding.ToString(secret.ToArray()).TrimEnd('=');
        var algorithm = parameters.Algorithm switch
        {
            TotpAlgorithm.Sha256 => "SHA256",
            TotpAlgorithm.Sha512 => "SHA512",
            _ => "SHA1",
        };
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(accountName);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"otpauth://totp/{label}?secret={base32}&issuer={Uri.EscapeDataString(issuer)}&algorithm={algorithm}&digits={parameters.Digits}&period={parameters.PeriodSeconds}");
    }
}

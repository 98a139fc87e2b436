using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// What an authenticator app does with the secret it was given: RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) over the
/// BCL's <see cref="HMACSHA1"/>, independent of the library (and of Otp.NET), so the tests check the sample against the RFC.
/// </summary>
internal static class TestAuthenticator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The code an app shows at <paramref name="at"/> for a Base32 secret.</summary>
    public static string Code(string base32Secret, DateTimeOffset at, int digits = 6, int periodSeconds = 30)
    {
        var key = FromBase32(base32Secret);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / periodSeconds);
#pragma warning disable CA5350 // RFC 6238's default, what every authenticator app computes: HMAC-SHA1 is not the weak point of TOTP.
        var mac = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>Decodes unpadded (or padded) RFC 4648 Base32.</summary>
    public static byte[] FromBase32(string text)
    {
        var trimmed = text.TrimEnd('=');
        var bytes = new List<byte>(trimmed.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in trimmed)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a Base32 character.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Challenge tokens: 32 bytes from the CSPRNG, base64url without padding (43 characters). A token is
/// handed to the caller once, at start; the store keeps only its keyed hash.
/// </summary>
/// <remarks>
/// The top bit of the first byte says whether the challenge is an email one (255 random bits remain). It lets
/// an email verify go to the store in one round trip without first reading which factor the challenge has.
/// The bit cannot be forged: it is part of the token, so a token with the bit flipped hashes to no challenge.
/// The second byte is the id of the key the token is hashed with (security.md item 36), so 247 random bits remain.
/// </remarks>
internal static class ChallengeToken
{
    /// <summary>Random bytes per token.</summary>
    public const int ByteLength = 32;

    /// <summary>Characters per token.</summary>
    public const int Length = 43;

    /// <summary>base64url characters whose 6-bit value has its top bit set start a non-email token.</summary>
    private const int NonEmailFirstValue = 32;

    public static string Create(FactorTypes factor, byte keyId = 0)
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] = factor == FactorTypes.Email ? (byte)(bytes[0] & 0x7F) : (byte)(bytes[0] | 0x80);
        bytes[1] = keyId;
        var base64 = Convert.ToBase64String(bytes);
        return string.Create(Length, base64, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[i] switch
                {
                    '+' => '-',
                    '/' => '_',
                    var c => c,
                };
            }
        });
    }

    /// <summary>Whether a well-formed token was made for an email challenge.</summary>
    public static bool IsEmail(string token) => Base64UrlValue(token[0]) < NonEmailFirstValue;

    /// <summary>
    /// The key id a well-formed token names: its second byte, the low 4 bits of its second character and the high 4 bits
    /// of its third (base64 puts 6 bits in a character).
    /// </summary>
    public static byte KeyIdOf(string token) => (byte)(((Base64UrlValue(token[1]) & 0x0F) << 4) | (Base64UrlValue(token[2]) >> 2));

    private static int Base64UrlValue(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };

    /// <summary>
    /// Whether <paramref name="token"/> has the shape of a token this engine issues. Checks the length first, so
    /// absurd input costs nothing.
    /// </summary>
    public static bool IsWellFormed(string? token)
    {
        if (token is null || token.Length != Length)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}

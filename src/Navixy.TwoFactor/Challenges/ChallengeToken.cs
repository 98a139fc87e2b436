using System.Security.Cryptography;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Challenge tokens: 32 bytes (256 bits) from the CSPRNG, base64url without padding (43 characters). A token is
/// handed to the caller once, at start; the store keeps only its keyed hash.
/// </summary>
internal static class ChallengeToken
{
    /// <summary>Random bytes per token.</summary>
    public const int ByteLength = 32;

    /// <summary>Characters per token.</summary>
    public const int Length = 43;

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
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

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Email codes: exactly N ASCII digits drawn uniformly from the CSPRNG, leading zeros kept (security.md item 1).
/// Each code takes 64 fresh random bits and rejection-samples them below the largest multiple of 10^N, so every
/// one of the 10^N codes is equally likely and no code depends on another (uniform per code is what a
/// per-challenge HOTP key of 160 bits only approximates).
/// </summary>
internal static class ChallengeCode
{
    public static string Generate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, ChallengeOptions.MinCodeLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ChallengeOptions.MaxCodeLength);

        var modulus = 1UL;
        for (var i = 0; i < length; i++)
        {
            modulus *= 10;
        }

        // Values at or above the largest multiple of the modulus would make low codes likelier: draw again.
        var limit = ulong.MaxValue - (ulong.MaxValue % modulus);
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        ulong value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        while (value >= limit);

        return string.Create(length, value % modulus, static (span, number) =>
        {
            for (var i = span.Length - 1; i >= 0; i--)
            {
                span[i] = (char)('0' + (int)(number % 10));
                number /= 10;
            }
        });
    }

    /// <summary>
    /// Whether <paramref name="code"/> is exactly <paramref name="length"/> ASCII digits. No trimming, no other
    /// digit scripts (full-width, Arabic-Indic), length checked first so a 10 MB string costs nothing.
    /// </summary>
    public static bool IsWellFormed(string? code, int length)
    {
        if (code is null || code.Length != length)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

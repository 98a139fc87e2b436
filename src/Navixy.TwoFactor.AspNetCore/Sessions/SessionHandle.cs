using System.Security.Cryptography;
using System.Text;

namespace Navixy.TwoFactor.AspNetCore.Sessions;

/// <summary>
/// Session handles (Navixy's session "hash"): 128 random bits from the CSPRNG, written as 32 lowercase hex digits. Stores
/// keep only a SHA-256 digest of a handle, so a dump of a session table cannot be replayed as an <c>Authorization</c> header.
/// </summary>
public static class SessionHandle
{
    /// <summary>The length of a handle: 16 random bytes as hex.</summary>
    public const int Length = 32;

    /// <summary>A fresh handle.</summary>
    public static string New() => Hex(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>Whether <paramref name="candidate"/> has the shape of a handle (32 lowercase hex digits).</summary>
    /// <param name="candidate">What a caller sent.</param>
    public static bool IsWellFormed(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length != Length)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The key a store files a session under: the SHA-256 digest of the handle, as hex.</summary>
    /// <param name="handle">A well-formed handle.</param>
    public static string Digest(string handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Hex(SHA256.HashData(Encoding.ASCII.GetBytes(handle)));
    }

    private static string Hex(byte[] bytes)
    {
        const string Digits = "0123456789abcdef";
        return string.Create(bytes.Length * 2, bytes, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[2 * i] = Digits[source[i] >> 4];
                span[(2 * i) + 1] = Digits[source[i] & 0xF];
            }
        });
    }
}

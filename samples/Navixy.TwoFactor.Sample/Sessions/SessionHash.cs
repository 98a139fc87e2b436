using System.Security.Cryptography;
using System.Text;

namespace Navixy.TwoFactor.Sample.Sessions;

/// <summary>
/// Session hashes: 128 random bits from the CSPRNG, written as 32 lowercase hex digits. Stores keep only a
/// SHA-256 digest of a hash, so a dump of the session table cannot be replayed as an <c>Authorization</c> header.
/// </summary>
internal static class SessionHash
{
    /// <summary>The length of a hash: 16 random bytes as hex.</summary>
    public const int Length = 32;

    /// <summary>A fresh hash.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>Whether <paramref name="candidate"/> has the shape of a hash (32 lowercase hex digits).</summary>
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

    /// <summary>The key a store files a session under: the SHA-256 digest of the hash, as hex.</summary>
    /// <param name="hash">A well-formed hash.</param>
    public static string Digest(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(hash)));
    }
}

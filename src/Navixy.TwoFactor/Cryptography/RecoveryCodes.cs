using System.Security.Cryptography;
using System.Text;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>One stored recovery code: a public lookup id, a salt and a slow hash of the secret part.</summary>
/// <param name="LookupId">The first group of the code; not secret, lets a redemption hash once instead of once per code.</param>
/// <param name="Salt">A random 16-byte salt.</param>
/// <param name="Hash">PBKDF2-SHA256 of the secret part.</param>
/// <param name="Iterations">The PBKDF2 iteration count used.</param>
public sealed record RecoveryCodeHash(string LookupId, byte[] Salt, byte[] Hash, int Iterations);

/// <summary>
/// Recovery codes: 20 characters of a 32-letter alphabet without look-alikes (100 bits), shown as five
/// groups of four. The first group is a lookup id; the other 80 bits are the secret, stored only as a
/// salted PBKDF2 hash.
/// </summary>
internal static class RecoveryCodes
{
    /// <summary>Crockford's Base32 alphabet: no I, L, O, U.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Groups = 5;
    private const int GroupLength = 4;
    private const int CodeLength = Groups * GroupLength;

    /// <summary>Longest input looked at; anything longer is refused before any work.</summary>
    internal const int MaxInputLength = 64;

    public static (string Display, RecoveryCodeHash Stored) Create(int iterations)
    {
        Span<char> chars = stackalloc char[CodeLength];
        for (var i = 0; i < CodeLength; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        var normalized = new string(chars);
        var display = string.Join('-', Enumerable.Range(0, Groups).Select(g => normalized.Substring(g * GroupLength, GroupLength)));
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Hash(normalized.AsSpan(GroupLength), salt, iterations);
        return (display, new RecoveryCodeHash(normalized[..GroupLength], salt, hash, iterations));
    }

    /// <summary>Normalises user input (case, dashes, spaces; Crockford's I/L→1, O→0).</summary>
    /// <returns>The 20 canonical characters, or <see langword="null"/> when the input cannot be a code.</returns>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > MaxInputLength)
        {
            return null;
        }

        var builder = new StringBuilder(CodeLength);
        foreach (var raw in input)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'I' or 'L' => '1',
                'O' => '0',
                var other => other,
            };
            if (!char.IsAscii(c) || Alphabet.IndexOf(c, StringComparison.Ordinal) < 0 || builder.Length == CodeLength)
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.Length == CodeLength ? builder.ToString() : null;
    }

    public static string LookupIdOf(string normalized) => normalized[..GroupLength];

    /// <summary>Whether a normalised code matches a stored hash (constant-time comparison).</summary>
    public static bool Matches(string normalized, RecoveryCodeHash stored)
    {
        var hash = Hash(normalized.AsSpan(GroupLength), stored.Salt, stored.Iterations);
        return CryptographicOperations.FixedTimeEquals(hash, stored.Hash);
    }

    private static byte[] Hash(ReadOnlySpan<char> secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(secret.ToArray()), salt, iterations, HashAlgorithmName.SHA256, 32);
}

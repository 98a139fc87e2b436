using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Credentials;

/// <summary>A stored password: PBKDF2-HMAC-SHA256 with its own random salt and iteration count.</summary>
/// <param name="Salt">16 random bytes.</param>
/// <param name="Digest">The 32-byte derived key.</param>
/// <param name="Iterations">The iteration count it was made with.</param>
internal sealed record PasswordHash(byte[] Salt, byte[] Digest, int Iterations)
{
    /// <summary>Describes the hash without its bytes.</summary>
    public override string ToString() => $"PBKDF2-SHA256 ({Iterations} iterations)";
}

/// <summary>
/// The sample's own credential check (the library does not store passwords): PBKDF2 from the BCL
/// (<see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>), SHA-256, a random
/// 16-byte salt per password, compared in constant time.
/// </summary>
internal sealed class PasswordHasher(IOptions<CredentialOptions> options)
{
    private const int SaltBytes = 16;
    private const int DigestBytes = 32;

    // Checked when a login is unknown, so that unknown and known logins cost the same time.
    private readonly Lazy<PasswordHash> _decoy = new(() => Derive(RandomNumberGenerator.GetHexString(32), options.Value.PasswordIterations));

    /// <summary>Hashes a new password.</summary>
    /// <param name="password">The password.</param>
    public PasswordHash Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Derive(password, options.Value.PasswordIterations);
    }

    /// <summary>Checks a password against a stored hash.</summary>
    /// <param name="stored">The stored hash.</param>
    /// <param name="password">What the caller sent.</param>
    public static bool Verify(PasswordHash stored, string password)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(password);
        var digest = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), stored.Salt, stored.Iterations, HashAlgorithmName.SHA256, stored.Digest.Length);
        return CryptographicOperations.FixedTimeEquals(digest, stored.Digest);
    }

    /// <summary>Spends the time of one <see cref="Verify"/> and answers <see langword="false"/>: for unknown logins.</summary>
    /// <param name="password">What the caller sent.</param>
    public bool VerifyDecoy(string password)
    {
        _ = Verify(_decoy.Value, password);
        return false;
    }

    private static PasswordHash Derive(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var digest = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, DigestBytes);
        return new PasswordHash(salt, digest, iterations);
    }
}

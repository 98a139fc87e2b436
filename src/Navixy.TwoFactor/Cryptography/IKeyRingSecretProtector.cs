namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// An <see cref="ISecretProtector"/> whose blobs name the key that made them, so that a key rotation can tell which stored
/// secrets still need re-wrapping (<c>ITwoFactorKeyRotation</c>). The default protector is one; a host's own protector
/// need not be (then every secret is re-wrapped each time).
/// </summary>
public interface IKeyRingSecretProtector : ISecretProtector
{
    /// <summary>Whether <paramref name="protectedData"/> was made with the current primary key (re-wrapping it changes nothing).</summary>
    /// <param name="protectedData">A stored blob.</param>
    /// <returns><see langword="false"/> for a blob under another key, of an unknown format, or too short to say.</returns>
    bool IsProtectedWithPrimaryKey(ReadOnlySpan<byte> protectedData);
}

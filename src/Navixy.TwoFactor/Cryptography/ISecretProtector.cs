using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Encrypts authenticator secrets at rest. The default is AES-GCM with a key derived from the configured
/// key material; a host may register its own (for example one backed by a key vault).
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts and authenticates a secret, bound to <paramref name="associatedData"/> (tenant and principal).</summary>
    /// <param name="plaintext">The secret.</param>
    /// <param name="associatedData">Data the ciphertext is bound to; the same must be given to <see cref="TryUnprotect"/>.</param>
    /// <returns>The protected blob, safe to store.</returns>
    byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData);

    /// <summary>Decrypts a blob made by <see cref="Protect"/>. A tampered, truncated or foreign blob answers <see langword="false"/>.</summary>
    /// <param name="protectedData">The stored blob.</param>
    /// <param name="associatedData">The data it was bound to.</param>
    /// <param name="plaintext">The secret, when authentic.</param>
    /// <returns>Whether the blob was authentic.</returns>
    bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext);
}

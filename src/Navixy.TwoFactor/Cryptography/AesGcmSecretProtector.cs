using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// AES-256-GCM: blob = version (1 byte) | nonce (12) | tag (16) | ciphertext. A fresh random nonce per
/// blob; the associated data binds a blob to its tenant and principal. One instance serves the whole process, and
/// <see cref="AesGcm"/> is not safe for concurrent use, so each operation holds the instance's lock (microseconds).
/// </summary>
internal sealed class AesGcmSecretProtector : ISecretProtector, IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly AesGcm _aes;
    private readonly object _gate = new();

    /// <param name="key">A 32-byte key used for this purpose only.</param>
    public AesGcmSecretProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The secret protection key must be 32 bytes.", nameof(key));
        }

        _aes = new AesGcm(key, TagSize);
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var blob = new byte[HeaderSize + plaintext.Length];
        blob[0] = FormatVersion;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        lock (_gate)
        {
            _aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize), blob.AsSpan(1 + NonceSize, TagSize), associatedData);
        }

        return blob;
    }

    public bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        if (protectedData.Length < HeaderSize || protectedData[0] != FormatVersion)
        {
            return false;
        }

        var result = new byte[protectedData.Length - HeaderSize];
        try
        {
            lock (_gate)
            {
                _aes.Decrypt(
                    protectedData.Slice(1, NonceSize),
                    protectedData[HeaderSize..],
                    protectedData.Slice(1 + NonceSize, TagSize),
                    result,
                    associatedData);
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(result);
            return false;
        }

        plaintext = result;
        return true;
    }

    public void Dispose() => _aes.Dispose();
}

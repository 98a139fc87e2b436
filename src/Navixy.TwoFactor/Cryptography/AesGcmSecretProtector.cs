using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// AES-256-GCM with one key per key id of the ring. Two blob formats: version 1 = 1 | nonce (12) | tag (16) | ciphertext,
/// made with key 0; version 2 = 2 | key id (1) | nonce | tag | ciphertext (security.md item 36). New blobs are made with the
/// primary key: version 1 while the primary is key 0 (so nodes of an older release still read them), version 2 otherwise.
/// A blob naming a key the ring does not hold fails closed. A fresh random nonce per blob; the associated data binds a
/// blob to its tenant and principal. One instance serves the whole process, and <see cref="AesGcm"/> is not safe for
/// concurrent use, so each operation holds its key's lock (microseconds).
/// </summary>
internal sealed class AesGcmSecretProtector : IKeyRingSecretProtector, IDisposable
{
    private const byte KeyZeroFormat = 1;
    private const byte KeyIdFormat = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly AesGcm?[] _keys = new AesGcm?[TwoFactorKeyRing.Slots];
    private readonly byte _primary;

    /// <summary>A protector of one 32-byte key, key id 0.</summary>
    /// <param name="key">A 32-byte key used for this purpose only.</param>
    public AesGcmSecretProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length != TwoFactorKeyRing.KeyLength)
        {
            throw new ArgumentException("The secret protection key must be 32 bytes.", nameof(key));
        }

        _keys[0] = new AesGcm(key, TagSize);
    }

    /// <param name="ring">The key ring.</param>
    /// <param name="purpose">The HKDF purpose of this protector's keys.</param>
    public AesGcmSecretProtector(TwoFactorKeyRing ring, string purpose)
    {
        ArgumentNullException.ThrowIfNull(ring);
        foreach (var id in ring.KeyIds)
        {
            _keys[id] = new AesGcm(ring.DeriveKey(id, purpose), TagSize);
        }

        _primary = ring.PrimaryKeyId;
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var headerSize = HeaderSize(_primary == 0 ? KeyZeroFormat : KeyIdFormat);
        var blob = new byte[headerSize + plaintext.Length];
        if (_primary == 0)
        {
            blob[0] = KeyZeroFormat;
        }
        else
        {
            blob[0] = KeyIdFormat;
            blob[1] = _primary;
        }

        var nonce = blob.AsSpan(headerSize - TagSize - NonceSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = _keys[_primary]!;
        lock (aes)
        {
            aes.Encrypt(nonce, plaintext, blob.AsSpan(headerSize), blob.AsSpan(headerSize - TagSize, TagSize), associatedData);
        }

        return blob;
    }

    public bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        if (!TryReadHeader(protectedData, out var keyId, out var headerSize) || _keys[keyId] is not { } aes)
        {
            return false;
        }

        var result = new byte[protectedData.Length - headerSize];
        try
        {
            lock (aes)
            {
                aes.Decrypt(
                    protectedData.Slice(headerSize - TagSize - NonceSize, NonceSize),
                    protectedData[headerSize..],
                    protectedData.Slice(headerSize - TagSize, TagSize),
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

    public bool IsProtectedWithPrimaryKey(ReadOnlySpan<byte> protectedData) =>
        TryReadHeader(protectedData, out var keyId, out _) && keyId == _primary;

    /// <summary>The key id a blob names and the size of its header; false for an unknown format or a truncated blob.</summary>
    internal static bool TryReadHeader(ReadOnlySpan<byte> blob, out byte keyId, out int headerSize)
    {
        keyId = 0;
        headerSize = 0;
        if (blob.IsEmpty || blob[0] is not (KeyZeroFormat or KeyIdFormat) || blob.Length < HeaderSize(blob[0]))
        {
            return false;
        }

        headerSize = HeaderSize(blob[0]);
        keyId = blob[0] == KeyIdFormat ? blob[1] : (byte)0;
        return true;
    }

    private static int HeaderSize(byte format) => (format == KeyIdFormat ? 2 : 1) + NonceSize + TagSize;

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key?.Dispose();
        }
    }
}

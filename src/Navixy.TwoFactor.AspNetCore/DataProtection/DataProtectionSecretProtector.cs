using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.AspNetCore.DataProtection;

/// <summary>
/// Authenticator secrets protected by ASP.NET Core Data Protection (<see cref="IDataProtectionProvider"/>), for hosts that
/// already run its key ring: one protector of purpose <see cref="Purpose"/>, and below it one of a purpose per associated
/// data (the tenant and principal a secret is bound to), so a blob copied to another principal fails. Data Protection's
/// own key ring decides the key: new blobs take its current default key, older blobs stay readable while their key is in
/// its ring, and <see cref="IsProtectedWithPrimaryKey"/> tells the re-wrap which blobs are under an older key.
/// </summary>
/// <remarks>
/// A blob that is not Data Protection's (the built-in AES-GCM protector's, say), tampered, or under a key its ring does not
/// hold (or revoked) answers <see langword="false"/>, never an exception. With <c>previous</c>, blobs of that protector (the
/// one registered before, for a deployment switching to Data Protection) are read by it, and count as not under the
/// primary key, so the re-wrap moves them to Data Protection.
/// </remarks>
internal sealed class DataProtectionSecretProtector : IKeyRingSecretProtector
{
    /// <summary>The purpose string of the root protector. Changing it makes every stored secret unreadable.</summary>
    public const string Purpose = "Navixy.TwoFactor.AuthenticatorSecrets.v1";

    // Data Protection's documented payload header: a 32-bit magic number, then the 128-bit id of the key it was made with.
    private const int MagicHeader = 0x09F0C9F0;
    private const int KeyIdOffset = 4;
    private const int KeyIdLength = 16;

    private readonly IDataProtector _root;
    private readonly ISecretProtector? _previous;

    public DataProtectionSecretProtector(IDataProtectionProvider provider, ISecretProtector? previous = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _root = provider.CreateProtector(Purpose);
        _previous = previous;
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var copy = plaintext.ToArray();
        try
        {
            return For(associatedData).Protect(copy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    public bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        if (!IsDataProtectionPayload(protectedData))
        {
            return _previous is not null && _previous.TryUnprotect(protectedData, associatedData, out plaintext);
        }

        try
        {
            plaintext = For(associatedData).Unprotect(protectedData.ToArray());
            return true;
        }
        catch (CryptographicException)
        {
            // Tampered, bound to another principal, or its key is not in (or revoked from) the ring: fail closed.
            return false;
        }
    }

    public bool IsProtectedWithPrimaryKey(ReadOnlySpan<byte> protectedData)
    {
        if (!IsDataProtectionPayload(protectedData))
        {
            return false;
        }

        // A payload made now names the ring's current default key.
        var probe = _root.Protect([]);
        return protectedData.Slice(KeyIdOffset, KeyIdLength).SequenceEqual(probe.AsSpan(KeyIdOffset, KeyIdLength));
    }

    private static bool IsDataProtectionPayload(ReadOnlySpan<byte> blob) =>
        blob.Length > KeyIdOffset + KeyIdLength
        && System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(blob) == MagicHeader;

    private IDataProtector For(ReadOnlySpan<byte> associatedData) => _root.CreateProtector(Convert.ToBase64String(associatedData));
}

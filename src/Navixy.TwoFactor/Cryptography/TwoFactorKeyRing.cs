using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Holds the configured key material (<see cref="TwoFactorOptions.KeyMaterial"/>) and derives one key per purpose
/// from it with HKDF-SHA256 (RFC 5869), so that no two uses ever share a key. Without configured material it
/// makes an ephemeral random key and warns: fine for the in-memory stores, fatal for a persistent one (which
/// registers <see cref="RequiredKeyMaterialValidator"/> so the host refuses to start).
/// </summary>
internal sealed class TwoFactorKeyRing
{
    /// <summary>The length of every derived key, in bytes.</summary>
    public const int KeyLength = 32;

    private readonly byte[] _material;

    public TwoFactorKeyRing(IOptions<TwoFactorOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.KeyMaterial;
        if (configured is null)
        {
            _material = RandomNumberGenerator.GetBytes(KeyLength);
            IsEphemeral = true;
            TwoFactorLog.EphemeralKeyMaterial((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category));
        }
        else
        {
            // The options validator has already refused malformed material; this guards direct construction.
            _material = KeyMaterial.TryDecode(configured, out var bytes)
                ? bytes
                : throw new InvalidOperationException(KeyMaterial.InvalidMessage);
        }
    }

    /// <summary>Whether the key material is a random key of this process rather than configured.</summary>
    public bool IsEphemeral { get; }

    /// <summary>Derives the key for one purpose. The same material and purpose always give the same key.</summary>
    /// <param name="purpose">A stable, unique label, e.g. <c>challenge-token/v1</c>.</param>
    public byte[] DeriveKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var info = Encoding.UTF8.GetBytes("Navixy.TwoFactor/" + purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _material, KeyLength, salt: [], info: info);
    }
}

/// <summary>Parses <see cref="TwoFactorOptions.KeyMaterial"/>.</summary>
internal static class KeyMaterial
{
    public const int MinBytes = 32;
    public const int MaxBytes = 1024;

    public const string InvalidMessage =
        "TwoFactorOptions.KeyMaterial must be base64 of at least 32 and at most 1024 random bytes.";

    public static bool TryDecode(string? value, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(value) || value.Length > (MaxBytes + 2) / 3 * 4)
        {
            return false;
        }

        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written is < MinBytes or > MaxBytes)
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }
}

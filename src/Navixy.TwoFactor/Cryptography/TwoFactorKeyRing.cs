using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// The configured keys by key id (0 is <see cref="TwoFactorOptions.KeyMaterial"/>, 1–255 are
/// <see cref="TwoFactorOptions.Keys"/>), one of them primary, and one key per purpose and key id derived from each with
/// HKDF-SHA256 (RFC 5869), so that no two uses ever share a key. Whatever a key protects names its id (security.md item
/// 36), so a new primary makes new secrets and tokens while the others stay readable until re-wrapped. Without configured
/// material it makes an ephemeral random key 0 and warns: fine for the in-memory stores, fatal for a persistent one (which
/// registers <see cref="RequiredKeyMaterialValidator"/> so the host refuses to start).
/// </summary>
internal sealed class TwoFactorKeyRing
{
    /// <summary>The length of every derived key, in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Key ids are one byte.</summary>
    public const int Slots = 256;

    private readonly byte[]?[] _materials = new byte[Slots][];

    public TwoFactorKeyRing(IOptions<TwoFactorOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value;

        // The options validator has already refused a malformed ring; this guards direct construction.
        if (KeyRingConfiguration.Validate(configured) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        if (!KeyRingConfiguration.IsConfigured(configured))
        {
            _materials[0] = RandomNumberGenerator.GetBytes(KeyLength);
            IsEphemeral = true;
            TwoFactorLog.EphemeralKeyMaterial((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category));
            return;
        }

        if (configured.KeyMaterial is not null)
        {
            KeyMaterial.TryDecode(configured.KeyMaterial, out var bytes);
            _materials[0] = bytes;
        }

        foreach (var (id, material) in configured.Keys)
        {
            KeyMaterial.TryDecode(material, out var bytes);
            _materials[id] = bytes;
        }

        PrimaryKeyId = (byte)configured.PrimaryKeyId;
    }

    /// <summary>Whether the key material is a random key of this process rather than configured.</summary>
    public bool IsEphemeral { get; }

    /// <summary>The id of the key new secrets, tokens and digests are made with.</summary>
    public byte PrimaryKeyId { get; }

    /// <summary>The ids of the keys in the ring, ascending.</summary>
    public IReadOnlyList<byte> KeyIds => Enumerable.Range(0, Slots).Where(i => _materials[i] is not null).Select(i => (byte)i).ToArray();

    /// <summary>Whether the ring holds the key <paramref name="keyId"/>.</summary>
    public bool Contains(int keyId) => keyId is >= 0 and < Slots && _materials[keyId] is not null;

    /// <summary>Derives the primary key's key for one purpose. The same material and purpose always give the same key.</summary>
    /// <param name="purpose">A stable, unique label, e.g. <c>challenge-token/v1</c>.</param>
    public byte[] DeriveKey(string purpose) => DeriveKey(PrimaryKeyId, purpose);

    /// <summary>
    /// Derives every key's key for one purpose, indexed by key id (<see langword="null"/> for an id the ring does not hold):
    /// what a hasher keeps so that it can check a value made with any key of the ring.
    /// </summary>
    /// <param name="purpose">A stable, unique label, e.g. <c>challenge-token/v1</c>.</param>
    public byte[]?[] DeriveKeys(string purpose)
    {
        var keys = new byte[Slots][];
        foreach (var id in KeyIds)
        {
            keys[id] = DeriveKey(id, purpose);
        }

        return keys;
    }

    /// <summary>
    /// Derives key <paramref name="keyId"/>'s key for one purpose. Every key id derives alike (only the material differs),
    /// so key 0 derives exactly the keys a ring of one <see cref="TwoFactorOptions.KeyMaterial"/> always did.
    /// </summary>
    public byte[] DeriveKey(byte keyId, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var material = _materials[keyId] ?? throw new ArgumentOutOfRangeException(nameof(keyId), keyId, "The key ring holds no such key.");
        var info = Encoding.UTF8.GetBytes("Navixy.TwoFactor/" + purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, material, KeyLength, salt: [], info: info);
    }
}

/// <summary>The rules of a configured key ring, shared by the options validators and the ring itself.</summary>
internal static class KeyRingConfiguration
{
    /// <summary>Whether any key is configured (otherwise the ring is ephemeral).</summary>
    public static bool IsConfigured(TwoFactorOptions options) => options.KeyMaterial is not null || options.Keys.Count > 0;

    /// <summary>Why the ring is malformed, or <see langword="null"/> when it is well formed.</summary>
    public static string? Validate(TwoFactorOptions options)
    {
        if (options.KeyMaterial is not null && !KeyMaterial.TryDecode(options.KeyMaterial, out _))
        {
            return KeyMaterial.InvalidMessage;
        }

        foreach (var (id, material) in options.Keys)
        {
            if (id is < 1 or >= TwoFactorKeyRing.Slots)
            {
                return $"TwoFactorOptions.Keys: key id {id} is out of range; ids are 1 to 255 (key id 0 is TwoFactorOptions.KeyMaterial).";
            }

            if (!KeyMaterial.TryDecode(material, out _))
            {
                return $"TwoFactorOptions.Keys[{id}] must be base64 of at least 32 and at most 1024 random bytes.";
            }
        }

        var primary = options.PrimaryKeyId;
        var exists = primary == 0
            ? options.KeyMaterial is not null || options.Keys.Count == 0
            : options.Keys.ContainsKey(primary);
        return exists
            ? null
            : $"TwoFactorOptions.PrimaryKeyId is {primary}, but no such key is configured ({(primary == 0 ? "TwoFactorOptions.KeyMaterial" : $"TwoFactorOptions.Keys[{primary}]")} is missing).";
    }
}

/// <summary>Parses one key of the ring (<see cref="TwoFactorOptions.KeyMaterial"/> or a value of <see cref="TwoFactorOptions.Keys"/>).</summary>
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

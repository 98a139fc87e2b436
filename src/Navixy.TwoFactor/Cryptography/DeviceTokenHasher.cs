using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Remembered-device tokens (policy.md D1, security.md item 37): 43 base64url characters of 32 random bytes, returned once
/// and stored only as HMAC-SHA256 under a key of their own purpose (<c>remembered-device/v1</c>), so a reader of the store
/// can neither use nor confirm one, and no other hash of the engine can be mistaken for one.
/// </summary>
/// <remarks>
/// A token names the key it is hashed with (security.md item 36) in its second byte, as a challenge token does
/// (<see cref="ChallengeToken.KeyIdOf"/>; 247 random bits remain), and is hashed with that key's purpose key: a device
/// remembered before a change of the primary key stays remembered as long as its key is in the ring. A token naming a key
/// the ring does not hold fails closed: it has no hash, so the start ignores it (and audits it), and a warning names the
/// key id. Tokens issued before tokens named their key were hashed with the primary key and carry a random second byte:
/// they name a key that is not the one they were hashed with (unless by chance, 1 in 256, key 0), so they are ignored like
/// any void token, and the user passes a second step once more.
/// </remarks>
internal sealed class DeviceTokenHasher
{
    /// <summary>The HKDF purpose of the device-token key.</summary>
    public const string Purpose = "remembered-device/v1";

    private readonly byte[]?[] _keys;
    private readonly byte _primary;
    private readonly ILogger _logger;

    public DeviceTokenHasher(TwoFactorKeyRing keys, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys.DeriveKeys(Purpose);
        _primary = keys.PrimaryKeyId;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    /// <summary>
    /// A new token of the principal, naming the primary key (the challenge-token shape: 43 base64url characters), and the
    /// keyed hash to store.
    /// </summary>
    public (string Token, byte[] Hash) Issue(TenantId tenant, long principalId)
    {
        var token = ChallengeToken.Create(FactorTypes.Email, _primary);
        return (token, Hash(_keys[_primary]!, tenant, principalId, token));
    }

    /// <summary>A new non-secret device id for lists and forgetting: 16 random bytes, hex.</summary>
    public static string CreateDeviceId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a presented value has a token's shape; anything else is ignored without hashing.</summary>
    public static bool IsWellFormed(string? token) => ChallengeToken.IsWellFormed(token);

    /// <summary>
    /// The keyed hash a well-formed token is stored and looked up by, bound to its tenant and principal and keyed with the
    /// key the token names; false (and a warning) when the ring does not hold that key.
    /// </summary>
    public bool TryHash(TenantId tenant, long principalId, string token, [NotNullWhen(true)] out byte[]? hash)
    {
        var keyId = ChallengeToken.KeyIdOf(token);
        if (_keys[keyId] is not { } key)
        {
            TwoFactorLog.TokenKeyUnknown(_logger, "remembered-device", keyId);
            hash = null;
            return false;
        }

        hash = Hash(key, tenant, principalId, token);
        return true;
    }

    private static byte[] Hash(byte[] key, TenantId tenant, long principalId, string token)
    {
        Span<byte> input = stackalloc byte[16 + ChallengeToken.Length];
        BitConverter.TryWriteBytes(input, tenant.Value);
        BitConverter.TryWriteBytes(input[8..], principalId);
        var written = Encoding.ASCII.GetBytes(token, input[16..]);
        return HMACSHA256.HashData(key, input[..(16 + written)]);
    }
}

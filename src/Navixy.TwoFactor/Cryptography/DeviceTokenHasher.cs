using System.Security.Cryptography;
using System.Text;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Remembered-device tokens (policy.md D1, security.md item 37): 256 random bits as 43 base64url characters, returned once
/// and stored only as HMAC-SHA256 under a key of their own purpose (<c>remembered-device/v1</c>), so a reader of the store
/// can neither use nor confirm one, and no other hash of the engine can be mistaken for one.
/// </summary>
internal sealed class DeviceTokenHasher(TwoFactorKeyRing keys)
{
    /// <summary>The HKDF purpose of the device-token key.</summary>
    public const string Purpose = "remembered-device/v1";

    private readonly byte[] _key = (keys ?? throw new ArgumentNullException(nameof(keys))).DeriveKey(Purpose);

    /// <summary>A new token. The challenge-token shape (43 base64url characters) without its factor bit.</summary>
    public static string CreateToken() => ChallengeToken.Create(FactorTypes.Email);

    /// <summary>A new non-secret device id for lists and forgetting: 16 random bytes, hex.</summary>
    public static string CreateDeviceId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a presented value has a token's shape; anything else is ignored without hashing.</summary>
    public static bool IsWellFormed(string? token) => ChallengeToken.IsWellFormed(token);

    /// <summary>The keyed hash a token is stored and looked up by, bound to its tenant and principal.</summary>
    public byte[] Hash(TenantId tenant, long principalId, string token)
    {
        Span<byte> input = stackalloc byte[16 + ChallengeToken.Length];
        BitConverter.TryWriteBytes(input, tenant.Value);
        BitConverter.TryWriteBytes(input[8..], principalId);
        var written = Encoding.ASCII.GetBytes(token, input[16..]);
        return HMACSHA256.HashData(_key, input[..(16 + written)]);
    }
}

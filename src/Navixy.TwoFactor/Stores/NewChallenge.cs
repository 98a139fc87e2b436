using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>A challenge as the engine hands it to <see cref="IChallengeStore.CreateAsync"/>: one send, no attempts yet.</summary>
/// <param name="Tenant">The tenant; part of the key.</param>
/// <param name="PrincipalId">The principal it belongs to.</param>
/// <param name="Factor">The factor it runs.</param>
/// <param name="TokenHash">The token's keyed hash (<see cref="IChallengeStore.HashLength"/> bytes); with the tenant, the key.</param>
/// <param name="CodeDigest">The code's keyed digest (<see cref="IChallengeStore.HashLength"/> bytes).</param>
/// <param name="CreatedAt">The engine's time at start.</param>
/// <param name="CodeExpiresAt">When the code stops being accepted.</param>
/// <param name="ExpiresAt">When the challenge ends; the store may delete it from then on.</param>
/// <param name="ResendAvailableAt">When a resend becomes possible.</param>
public readonly record struct NewChallenge(
    TenantId Tenant,
    long PrincipalId,
    FactorTypes Factor,
    ReadOnlyMemory<byte> TokenHash,
    ReadOnlyMemory<byte> CodeDigest,
    DateTimeOffset CreatedAt,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset ResendAvailableAt);

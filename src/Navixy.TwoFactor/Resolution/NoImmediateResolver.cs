using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>The <see cref="ITwoFactorImmediateResolver"/> of a resolver that needs I/O: never answers, so callers await it.</summary>
internal sealed class NoImmediateResolver : ITwoFactorImmediateResolver
{
    public static NoImmediateResolver Instance { get; } = new();

    public bool TryResolve(TenantId tenant, long principalId, out Requirement requirement)
    {
        TenantId.ThrowIfInvalid(tenant);
        requirement = default;
        return false;
    }
}

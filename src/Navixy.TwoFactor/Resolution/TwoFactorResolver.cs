using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Decides whether a principal must pass a second step (policy.md R1–R5). A pure function of an
/// immutable <see cref="PrincipalPolicy"/>: no I/O, no clock, no locks, no allocation.
/// </summary>
public static class TwoFactorResolver
{
    /// <summary>Resolves the requirement for the principal the snapshot describes.</summary>
    /// <param name="policy">The snapshot read from a store.</param>
    /// <returns>The answer with its explanation. Never throws for a snapshot a store produced.</returns>
    public static Requirement Resolve(in PrincipalPolicy policy) =>
        policy.Kind == PrincipalKind.Unknown || policy.Tenant is null
            ? Requirement.UnknownPrincipal(policy.PrincipalId)
            : Resolve(policy.PrincipalId, policy.Kind, policy.Account, policy.Tenant, policy.At);

    /// <summary>
    /// Resolves a known principal from the parts of its snapshot, for a store that reads them in place: the same answer as
    /// <see cref="Resolve(in PrincipalPolicy)"/> gives for <c>new PrincipalPolicy(principalId, kind, account, tenant) { At = at }</c>,
    /// without a snapshot (which holds a reference) to copy through the caller's frame.
    /// </summary>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="kind"><see cref="PrincipalKind.Account"/> or <see cref="PrincipalKind.SubUser"/>.</param>
    /// <param name="account">The deciding account.</param>
    /// <param name="tenant">The tenant's settings.</param>
    /// <param name="at">The moment; read only when <paramref name="tenant"/> has scheduled changes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Requirement Resolve(long principalId, PrincipalKind kind, in AccountRecord account, TenantPolicy tenant, DateTimeOffset at)
    {
        // One shape for every known principal, chosen by selects rather than by separate return paths, so a kind of
        // principal the process rarely sees (a demo account) is not left as cold, call-heavy code by profile-guided
        // optimisation.
        var (setting, source, version) = tenant.EffectiveSetting(account, at);
        var demo = account.IsDemo;
        var required = !demo && setting.IsAllowed && setting.Factors != FactorTypes.None;
        var rule = demo ? PolicyRule.DemoExemption
            : kind == PrincipalKind.SubUser ? PolicyRule.SubUserFollowsAccount
            : PolicyRule.AccountSetting;
        return Requirement.Resolved(
            principalId,
            required ? RequirementOutcome.Required : RequirementOutcome.NotRequired,
            required ? setting.Factors : FactorTypes.None,
            required ? NotRequiredReason.None : demo ? NotRequiredReason.DemoAccount : NotRequiredReason.SettingDisallowed,
            new Explanation(rule, kind, account.Id, demo ? SettingSource.None : source, demo ? 0 : version));
    }
}

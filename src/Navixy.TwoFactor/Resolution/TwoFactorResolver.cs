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
    public static Requirement Resolve(in PrincipalPolicy policy)
    {
        if (policy.Kind == PrincipalKind.Unknown || policy.Tenant is null)
        {
            return Requirement.UnknownPrincipal(policy.PrincipalId);
        }

        var account = policy.Account;
        if (account.IsDemo)
        {
            return Requirement.Resolved(
                policy.PrincipalId,
                NotRequiredReason.DemoAccount,
                new Explanation(PolicyRule.DemoExemption, policy.Kind, account.Id, SettingSource.None, 0));
        }

        var (setting, source, version) = policy.Tenant.EffectiveSetting(account);
        var rule = policy.Kind == PrincipalKind.SubUser ? PolicyRule.SubUserFollowsAccount : PolicyRule.AccountSetting;
        var explanation = new Explanation(rule, policy.Kind, account.Id, source, version);
        return setting.IsAllowed && setting.Factors != FactorTypes.None
            ? Requirement.Resolved(policy.PrincipalId, setting.Factors, explanation)
            : Requirement.Resolved(policy.PrincipalId, NotRequiredReason.SettingDisallowed, explanation);
    }
}

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

        // One shape for every known principal, chosen by selects rather than by separate return paths, so a kind of
        // principal the process rarely sees (a demo account) is not left as cold, call-heavy code by profile-guided
        // optimisation.
        var account = policy.Account;
        var (setting, source, version) = policy.Tenant.EffectiveSetting(account);
        var demo = account.IsDemo;
        var required = !demo && setting.IsAllowed && setting.Factors != FactorTypes.None;
        var rule = demo ? PolicyRule.DemoExemption
            : policy.Kind == PrincipalKind.SubUser ? PolicyRule.SubUserFollowsAccount
            : PolicyRule.AccountSetting;
        return Requirement.Resolved(
            policy.PrincipalId,
            required ? RequirementOutcome.Required : RequirementOutcome.NotRequired,
            required ? setting.Factors : FactorTypes.None,
            required ? NotRequiredReason.None : demo ? NotRequiredReason.DemoAccount : NotRequiredReason.SettingDisallowed,
            new Explanation(rule, policy.Kind, account.Id, demo ? SettingSource.None : source, demo ? 0 : version));
    }
}

using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Tests.Resolution;

public class TwoFactorResolverTests
{
    private static readonly TenantPolicy Tenant = TenantPolicy.Initial;

    [Test]
    public void Resolve_UnknownPrincipal_IsUnknownNotNotRequired()
    {
        var answer = TwoFactorResolver.Resolve(PrincipalPolicy.Unknown(7, Tenant));

        Assert.That(answer.Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        Assert.That(answer.Explanation.Rule, Is.EqualTo(PolicyRule.UnknownPrincipal));
    }

    [Test]
    public void Resolve_DemoAccountWithAllowedSetting_IsNotRequiredByDemoExemption()
    {
        var account = new AccountRecord(5, AccountOrigin.Created, IsDemo: true, TwoFactorSetting.Allowed(FactorTypes.Email), SettingSource.SelectedUpdate, 3);

        var answer = TwoFactorResolver.Resolve(new PrincipalPolicy(5, PrincipalKind.Account, account, Tenant));

        Assert.That(answer.Outcome, Is.EqualTo(RequirementOutcome.NotRequired));
        Assert.That(answer.Reason, Is.EqualTo(NotRequiredReason.DemoAccount));
        Assert.That(answer.Explanation.Rule, Is.EqualTo(PolicyRule.DemoExemption));
    }

    [Test]
    public void Resolve_SubUserOfAllowedAccount_IsRequiredAndNamesTheAccount()
    {
        var account = new AccountRecord(5, AccountOrigin.Imported, IsDemo: false, TwoFactorSetting.Allowed(FactorTypes.Email), SettingSource.SelectedUpdate, 3);

        var answer = TwoFactorResolver.Resolve(new PrincipalPolicy(9, PrincipalKind.SubUser, account, Tenant));

        Assert.That(answer.Outcome, Is.EqualTo(RequirementOutcome.Required));
        Assert.That(answer.Factors, Is.EqualTo(FactorTypes.Email));
        Assert.That(answer.Explanation.Rule, Is.EqualTo(PolicyRule.SubUserFollowsAccount));
        Assert.That(answer.Explanation.AccountId, Is.EqualTo(5));
        Assert.That(answer.Explanation.ToString(), Does.Contain("account 5"));
    }

    [Test]
    public void Resolve_UpdateAllStampedLater_OverridesAccountSetting()
    {
        var account = new AccountRecord(5, AccountOrigin.Created, IsDemo: false, TwoFactorSetting.Disallowed, SettingSource.TenantDefault, 3);
        var tenant = new TenantPolicy(TwoFactorSetting.Disallowed, TwoFactorSetting.Allowed(FactorTypes.Totp), 4);

        var answer = TwoFactorResolver.Resolve(new PrincipalPolicy(5, PrincipalKind.Account, account, tenant));

        Assert.That(answer.Factors, Is.EqualTo(FactorTypes.Totp));
        Assert.That(answer.Explanation.Source, Is.EqualTo(SettingSource.AllAccountsUpdate));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Tests.Challenges;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Results;

/// <summary>
/// Issue item 8: a host's test double builds every kind of <see cref="Requirement"/> through the public factories, the
/// engine accepts what it builds, and the factories refuse answers the resolver never gives.
/// </summary>
public class RequirementTestDoubleTests
{
    private const long Stranger = 99; // not in the directory: only the double knows it

    private static readonly Explanation ByAccountSetting = new(PolicyRule.AccountSetting, PrincipalKind.Account, Stranger, SettingSource.SelectedUpdate, 3);

    [Test]
    public void Factories_BuildEachKind()
    {
        var required = Requirement.Required(Stranger, FactorTypes.Email | FactorTypes.Totp, ByAccountSetting);
        var disallowed = Requirement.NotRequired(Stranger, NotRequiredReason.SettingDisallowed, ByAccountSetting);
        var demo = Requirement.NotRequired(Stranger, NotRequiredReason.DemoAccount, new Explanation(PolicyRule.DemoExemption, PrincipalKind.SubUser, 5, SettingSource.None, 0));
        var unknown = Requirement.UnknownPrincipal(Stranger);

        Assert.That((required.Outcome, required.IsRequired, required.Factors, required.Reason), Is.EqualTo((RequirementOutcome.Required, true, FactorTypes.Email | FactorTypes.Totp, NotRequiredReason.None)));
        Assert.That((disallowed.Outcome, disallowed.IsRequired, disallowed.Factors, disallowed.Reason), Is.EqualTo((RequirementOutcome.NotRequired, false, FactorTypes.None, NotRequiredReason.SettingDisallowed)));
        Assert.That((demo.Outcome, demo.Reason, demo.Explanation.ToString()), Is.EqualTo((RequirementOutcome.NotRequired, NotRequiredReason.DemoAccount, "R1: sub-user of demo account 5 is exempt")));
        Assert.That((unknown.Outcome, unknown.PrincipalId, unknown.Explanation.Rule), Is.EqualTo((RequirementOutcome.UnknownPrincipal, Stranger, PolicyRule.UnknownPrincipal)));
        Assert.That(new[] { required, disallowed, demo, unknown }.Select(r => r.PrincipalId), Has.All.EqualTo(Stranger));
    }

    private static IEnumerable<TestCaseData> Refused()
    {
        var demo = new Explanation(PolicyRule.DemoExemption, PrincipalKind.Account, 5, SettingSource.None, 0);
        var subUser = new Explanation(PolicyRule.SubUserFollowsAccount, PrincipalKind.SubUser, 5, SettingSource.TenantDefault, 1);
        yield return new TestCaseData(() => Requirement.Required(1, FactorTypes.None, ByAccountSetting)).SetName("Required_NoFactor");
        yield return new TestCaseData(() => Requirement.Required(1, (FactorTypes)4, ByAccountSetting)).SetName("Required_UnknownFactor");
        yield return new TestCaseData(() => Requirement.Required(1, FactorTypes.Email, default)).SetName("Required_DefaultExplanation");
        yield return new TestCaseData(() => Requirement.Required(1, FactorTypes.Email, demo)).SetName("Required_DemoRule");
        yield return new TestCaseData(() => Requirement.Required(1, FactorTypes.Email, subUser with { PrincipalKind = PrincipalKind.Account })).SetName("Required_SubUserRuleForAnAccount");
        yield return new TestCaseData(() => Requirement.NotRequired(1, NotRequiredReason.None, ByAccountSetting)).SetName("NotRequired_NoReason");
        yield return new TestCaseData(() => Requirement.NotRequired(1, (NotRequiredReason)9, ByAccountSetting)).SetName("NotRequired_UnknownReason");
        yield return new TestCaseData(() => Requirement.NotRequired(1, NotRequiredReason.DemoAccount, ByAccountSetting)).SetName("NotRequired_DemoWithSettingRule");
        yield return new TestCaseData(() => Requirement.NotRequired(1, NotRequiredReason.DemoAccount, demo with { PrincipalKind = PrincipalKind.Unknown })).SetName("NotRequired_DemoOfUnknownKind");
        yield return new TestCaseData(() => Requirement.NotRequired(1, NotRequiredReason.SettingDisallowed, demo)).SetName("NotRequired_DisallowedWithDemoRule");
    }

    [TestCaseSource(nameof(Refused))]
    public void Factories_RefuseAnswersTheResolverNeverGives(Func<Requirement> build) =>
        Assert.That(() => build(), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public async Task Factories_RebuildEveryAnswerTheRealResolverGives()
    {
        using var provider = new ServiceCollection().AddNavixyTwoFactor().Services.BuildServiceProvider();
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        var settings = provider.GetRequiredService<ITwoFactorSettings>();
        var resolver = provider.GetRequiredService<ITwoFactorResolver>();
        var tenant = new TenantId(3);
        await directory.RegisterAccountAsync(tenant, 10);
        await directory.RegisterSubUserAsync(tenant, 11, 10);
        await directory.RegisterAccountAsync(tenant, 20, isDemo: true);
        await directory.RegisterSubUserAsync(tenant, 21, 20);
        await directory.RegisterAccountAsync(tenant, 30);
        await settings.UpdateAsync(tenant, SettingsTarget.Selected(10), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp));

        foreach (var id in new long[] { 10, 11, 20, 21, 30, 40 })
        {
            var answer = await resolver.ResolveAsync(tenant, id);
            var rebuilt = answer.Outcome switch
            {
                RequirementOutcome.Required => Requirement.Required(answer.PrincipalId, answer.Factors, answer.Explanation),
                RequirementOutcome.NotRequired => Requirement.NotRequired(answer.PrincipalId, answer.Reason, answer.Explanation),
                _ => Requirement.UnknownPrincipal(answer.PrincipalId),
            };
            Assert.That(rebuilt, Is.EqualTo(answer), $"principal {id}: {answer}");
        }
    }

    [Test]
    public async Task Challenges_AcceptARequiredAnswerOfATestDouble_AndTheTokenNeedsNoBang()
    {
        var resolver = new StubResolver(id => Requirement.Required(id, FactorTypes.Email, ByAccountSetting));
        using var host = await ChallengeTestHost.CreateAsync(configure: s => s.AddSingleton<ITwoFactorResolver>(resolver));

        var started = await host.Challenges.StartAsync(host.Tenant, Stranger);
        Assert.That(started.IsStarted, Is.True, started.ToString());
        if (!started.IsStarted)
        {
            return;
        }

        var verified = await host.Challenges.VerifyAsync(host.Tenant, started.Token, host.Sender.LastCode(host.Tenant, Stranger));

        Assert.That(started.Token, Has.Length.EqualTo(43));
        Assert.That((verified.IsPassed, verified.PrincipalId), Is.EqualTo((true, Stranger)));
    }

    [Test]
    public async Task Challenges_AcceptNotRequiredAndUnknownAnswersOfATestDouble()
    {
        var answers = new Dictionary<long, Requirement>
        {
            [1] = Requirement.NotRequired(1, NotRequiredReason.SettingDisallowed, ByAccountSetting),
            [2] = Requirement.NotRequired(2, NotRequiredReason.DemoAccount, new Explanation(PolicyRule.DemoExemption, PrincipalKind.Account, 2, SettingSource.None, 0)),
            [3] = Requirement.UnknownPrincipal(3),
        };
        var resolver = new StubResolver(id => answers[id]);
        using var host = await ChallengeTestHost.CreateAsync(configure: s => s.AddSingleton<ITwoFactorResolver>(resolver));

        var disallowed = await host.Challenges.StartAsync(host.Tenant, 1);
        var demo = await host.Challenges.StartAsync(host.Tenant, 2);
        var unknown = await host.Challenges.StartAsync(host.Tenant, 3);
        var begun = await host.Enrollment.BeginAsync(host.Tenant, 3, "Fleet", "nobody@example.com");

        Assert.That((disallowed.Outcome, disallowed.Reason), Is.EqualTo((ChallengeStartOutcome.NotRequired, NotRequiredReason.SettingDisallowed)));
        Assert.That((demo.Outcome, demo.Reason), Is.EqualTo((ChallengeStartOutcome.NotRequired, NotRequiredReason.DemoAccount)));
        Assert.That(unknown.Outcome, Is.EqualTo(ChallengeStartOutcome.UnknownPrincipal));
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.UnknownPrincipal));
        Assert.That(new[] { disallowed, demo, unknown }.Select(r => r.IsStarted), Has.All.False);
        Assert.That(host.Sender.Messages, Is.Empty);
    }

    /// <summary>What a host writes to fake the resolver: answers built with the public factories.</summary>
    private sealed class StubResolver(Func<long, Requirement> answer) : ITwoFactorResolver
    {
        public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default) =>
            new(answer(principalId));
    }
}

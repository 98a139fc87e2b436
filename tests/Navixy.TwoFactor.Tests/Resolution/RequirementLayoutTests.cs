using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Tests.Resolution;

/// <summary>
/// <see cref="Requirement"/> is packed (every resolve returns one and a bulk page holds a thousand); packing must not change
/// what it answers, also for an explanation a host builds with values the resolver never gives.
/// </summary>
public class RequirementLayoutTests
{
    [Test]
    public void Requirement_Is40Bytes() => Assert.That(Unsafe.SizeOf<Requirement>(), Is.EqualTo(40));

    [Test]
    public void HostsExplanation_WithUnlistedKindAndSource_ComesBackAsGiven()
    {
        var explanation = new Explanation(PolicyRule.DemoExemption, (PrincipalKind)99, long.MaxValue, (SettingSource)1234, long.MinValue);

        var answer = Requirement.NotRequired(long.MinValue, NotRequiredReason.DemoAccount, explanation);

        Assert.That((answer.PrincipalId, answer.Outcome, answer.Factors, answer.Reason, answer.Explanation),
            Is.EqualTo((long.MinValue, RequirementOutcome.NotRequired, FactorTypes.None, NotRequiredReason.DemoAccount, explanation)));
        Assert.That(answer, Is.Not.EqualTo(Requirement.NotRequired(long.MinValue, NotRequiredReason.DemoAccount, explanation with { Source = (SettingSource)1235 })));
    }

    [Test]
    public void Default_IsUnknownPrincipalWithTheEmptyExplanation() =>
        Assert.That((default(Requirement).Outcome, default(Requirement).Explanation, default(Requirement).IsRequired),
            Is.EqualTo((RequirementOutcome.UnknownPrincipal, default(Explanation), false)));
}

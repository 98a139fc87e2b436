using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;

namespace Navixy.TwoFactor.Tests.Challenges;

public class ChallengeOptionsValidatorTests
{
    private static readonly ChallengeOptionsValidator Validator = new();

    [Test]
    public void Defaults_AreTheDocumentedOnesAndValid()
    {
        var options = new TwoFactorOptions();
        var o = options.Challenges;

        Assert.That(Validator.Validate(null, options).Succeeded, Is.True);
        Assert.That(o.CodeLength, Is.EqualTo(6));
        Assert.That(o.CodeLifetime, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(o.ResendCooldown, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(o.MaxAttempts, Is.EqualTo(5));
        Assert.That(o.MaxSends, Is.EqualTo(5));
        Assert.That(o.ChallengeLifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(o.PrincipalLockoutThreshold, Is.EqualTo(10));
        Assert.That(o.PrincipalLockoutDuration, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(o.PrincipalMaxConsecutiveFailures, Is.LessThan(100));
    }

    private static IEnumerable<TestCaseData> OutOfRange()
    {
        yield return Case("CodeLength", o => o.CodeLength = 5);
        yield return Case("CodeLength", o => o.CodeLength = 11);
        yield return Case("CodeLifetime", o => o.CodeLifetime = TimeSpan.FromSeconds(29));
        yield return Case("CodeLifetime", o => o.CodeLifetime = TimeSpan.FromMinutes(16));
        yield return Case("ResendCooldown", o => o.ResendCooldown = TimeSpan.Zero);
        yield return Case("ResendCooldown", o => o.ResendCooldown = TimeSpan.FromMinutes(15));
        yield return Case("MaxAttempts", o => o.MaxAttempts = 0);
        yield return Case("MaxAttempts", o => o.MaxAttempts = 21);
        yield return Case("MaxSends", o => o.MaxSends = 0);
        yield return Case("ChallengeLifetime", o => o.ChallengeLifetime = TimeSpan.FromHours(25));
        yield return Case("PrincipalLockoutThreshold", o => o.PrincipalLockoutThreshold = 0);
        yield return Case("PrincipalLockoutDuration", o => o.PrincipalLockoutDuration = TimeSpan.FromSeconds(59));
        yield return Case("PrincipalMaxConsecutiveFailures", o => o.PrincipalMaxConsecutiveFailures = 100);
        yield return Case("PrincipalMaxConsecutiveFailures", o => o.PrincipalMaxConsecutiveFailures = 9);

        static TestCaseData Case(string name, Action<ChallengeOptions> change) => new TestCaseData(name, change).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(OutOfRange))]
    public void Validate_ValueOutOfRange_FailsNamingTheOption(string name, Action<ChallengeOptions> change)
    {
        var options = new TwoFactorOptions();
        change(options.Challenges);

        var result = Validator.Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(name));
    }

    [Test]
    public void Engine_WithInvalidChallengeOptions_RefusesToStart()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.Challenges.CodeLength = 4);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<ITwoFactorChallenges>(), Throws.InstanceOf<OptionsValidationException>());
    }
}

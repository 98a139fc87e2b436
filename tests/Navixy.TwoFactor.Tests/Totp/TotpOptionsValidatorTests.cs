using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Totp;

public class TotpOptionsValidatorTests
{
    private static readonly TotpOptionsValidator Validator = new();

    [Test]
    public void Defaults_AreTheDocumentedOnesAndValid()
    {
        var options = new TwoFactorOptions();
        var o = options.Totp;

        Assert.That(Validator.Validate(null, options).Succeeded, Is.True);
        Assert.That(o.Parameters, Is.EqualTo(new TotpParameters(TotpAlgorithm.Sha1, 6, 30)));
        Assert.That((o.StepsBack, o.StepsForward), Is.EqualTo((1, 1)), "security.md item 12: an explicit window of one step either side");
        Assert.That(o.PendingEnrollmentLifetime, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(o.RecoveryCodeCount, Is.EqualTo(10));
        Assert.That(o.RecoveryCodeIterations, Is.EqualTo(100_000));
        Assert.That(o.StepUpLifetime, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    private static IEnumerable<TestCaseData> OutOfRange()
    {
        yield return Case("Digits", o => o.Totp.Parameters = o.Totp.Parameters with { Digits = 7 });
        yield return Case("Digits", o => o.Totp.Parameters = o.Totp.Parameters with { Digits = 10 });
        yield return Case("PeriodSeconds", o => o.Totp.Parameters = o.Totp.Parameters with { PeriodSeconds = 14 });
        yield return Case("PeriodSeconds", o => o.Totp.Parameters = o.Totp.Parameters with { PeriodSeconds = 121 });
        yield return Case("Algorithm", o => o.Totp.Parameters = o.Totp.Parameters with { Algorithm = (TotpAlgorithm)3 });
        yield return Case("StepsBack", o => o.Totp.StepsBack = -1);
        yield return Case("StepsBack", o => o.Totp.StepsBack = 6);
        yield return Case("StepsForward", o => o.Totp.StepsForward = 6);
        yield return Case("PendingEnrollmentLifetime", o => o.Totp.PendingEnrollmentLifetime = TimeSpan.FromSeconds(59));
        yield return Case("PendingEnrollmentLifetime", o => o.Totp.PendingEnrollmentLifetime = TimeSpan.FromHours(25));
        yield return Case("RecoveryCodeCount", o => o.Totp.RecoveryCodeCount = 0);
        yield return Case("RecoveryCodeCount", o => o.Totp.RecoveryCodeCount = 51);
        yield return Case("RecoveryCodeIterations", o => o.Totp.RecoveryCodeIterations = 9_999);
        yield return Case("RecoveryCodeIterations", o => o.Totp.RecoveryCodeIterations = 10_000_001);
        yield return Case("StepUpLifetime", o => o.Totp.StepUpLifetime = TimeSpan.FromSeconds(59));
        yield return Case("StepUpLifetime", o => o.Totp.StepUpLifetime = TimeSpan.FromMinutes(61));
        yield return Case("StepUpLifetime", o =>
        {
            o.Totp.StepUpLifetime = TimeSpan.FromMinutes(10);
            o.Challenges.ChallengeLifetime = TimeSpan.FromMinutes(9);
        });

        static TestCaseData Case(string name, Action<TwoFactorOptions> change) => new TestCaseData(name, change).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(OutOfRange))]
    public void Validate_ValueOutOfRange_FailsNamingTheOption(string name, Action<TwoFactorOptions> change)
    {
        var options = new TwoFactorOptions();
        change(options);

        var result = Validator.Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Totp.").And.Contain(name));
    }

    [TestCase(0, 0)]
    [TestCase(5, 5)]
    public void Validate_WindowAtItsBounds_Succeeds(int back, int forward)
    {
        var options = new TwoFactorOptions();
        options.Totp.StepsBack = back;
        options.Totp.StepsForward = forward;
        options.Totp.Parameters = new TotpParameters(TotpAlgorithm.Sha512, 8, 60);

        Assert.That(Validator.Validate(null, options).Succeeded, Is.True);
    }

    [Test]
    public void Engine_WithInvalidTotpOptions_RefusesToStart()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.Totp.StepsForward = 9);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<ITotpEnrollment>(), Throws.InstanceOf<OptionsValidationException>());
    }
}

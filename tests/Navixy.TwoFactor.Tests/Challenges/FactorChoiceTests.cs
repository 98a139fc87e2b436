using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Diagnostics;

namespace Navixy.TwoFactor.Tests.Challenges;

/// <summary>Issue 4 item 6: start picks the strongest usable factor, names the alternatives, and never bypasses.</summary>
public class FactorChoiceTests
{
    private const long Account = ChallengeTestHost.Account;

    [Test]
    public async Task Start_EnrolledAndEmailAllowed_ChoosesTheAuthenticatorSendsNothingAndOffersEmail()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);
        await host.EnrolAsync();

        var started = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        Assert.That(started.Factor, Is.EqualTo(FactorTypes.Totp));
        Assert.That(started.AlternativeFactors, Is.EqualTo(FactorTypes.Email));
        Assert.That(started.ExpiresAt, Is.EqualTo(started.ChallengeExpiresAt));
        Assert.That(started.ChallengeExpiresAt, Is.EqualTo(host.Time.GetUtcNow() + TimeSpan.FromMinutes(15)));
        Assert.That(host.Sender.Messages, Is.Empty);
    }

    [Test]
    public async Task Start_BothAllowedButNotEnrolled_ChoosesEmailWithoutAlternatives()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);

        var started = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That((started.Outcome, started.Factor, started.AlternativeFactors), Is.EqualTo((ChallengeStartOutcome.Started, FactorTypes.Email, FactorTypes.None)));
        Assert.That(host.Sender.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Start_EnrolledButOnlyEmailAllowed_UsesEmail()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email);
        await host.EnrolAsync();

        var started = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That((started.Factor, started.AlternativeFactors), Is.EqualTo((FactorTypes.Email, FactorTypes.None)), "the dealer's setting decides which factors count");
    }

    [Test]
    public async Task StartWithFactor_EmailInstead_SendsACodeAndOffersTheAuthenticator()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);
        await host.EnrolAsync();

        var started = await host.Challenges.StartWithFactorAsync(host.Tenant, Account, FactorTypes.Email);
        var verified = await host.Challenges.VerifyAsync(host.Tenant, started.Token, host.Sender.LastCode(host.Tenant, Account));

        Assert.That((started.Factor, started.AlternativeFactors), Is.EqualTo((FactorTypes.Email, FactorTypes.Totp)));
        Assert.That(verified.IsPassed, Is.True);
    }

    [Test]
    public async Task StartWithFactor_AuthenticatorNotEnrolled_IsUnavailableAndOffersEmail()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);

        var started = await host.Challenges.StartWithFactorAsync(host.Tenant, Account, FactorTypes.Totp);

        Assert.That((started.Outcome, started.AlternativeFactors), Is.EqualTo((ChallengeStartOutcome.FactorUnavailable, FactorTypes.Email)));
        Assert.That(started.Token, Is.Null);
        Assert.That(host.Sender.Messages, Is.Empty, "no silent fallback");
    }

    [Test]
    public async Task StartWithFactor_FactorTheSettingDoesNotAllow_IsUnavailableNeverAFallback()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        await host.EnrolAsync();
        var held = host.Provider.GetRequiredService<InMemoryChallengeStore>().ChallengeCount;

        var started = await host.Challenges.StartWithFactorAsync(host.Tenant, Account, FactorTypes.Email);

        Assert.That((started.Outcome, started.AlternativeFactors), Is.EqualTo((ChallengeStartOutcome.FactorUnavailable, FactorTypes.Totp)));
        Assert.That(started.ToString(), Is.EqualTo("FactorUnavailable (alternatives: Totp)"));
        Assert.That(host.Sender.Messages, Is.Empty);
        Assert.That(host.Provider.GetRequiredService<InMemoryChallengeStore>().ChallengeCount, Is.EqualTo(held), "no challenge was made");
    }

    [TestCase(FactorTypes.None)]
    [TestCase(FactorTypes.Email | FactorTypes.Totp)]
    [TestCase((FactorTypes)4)]
    public async Task StartWithFactor_NotExactlyOneKnownFactor_IsMisuse(FactorTypes factor)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);

        Assert.That(async () => await host.Challenges.StartWithFactorAsync(host.Tenant, Account, factor), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(async () => await host.Challenges.StartWithFactorAsync(default, Account, FactorTypes.Email), Throws.ArgumentException);
    }

    [Test]
    public async Task Start_BothAllowedNoSenderNotEnrolled_IsEnrollmentRequired()
    {
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), withSender: false, factors: FactorTypes.Email | FactorTypes.Totp);

        var started = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
        Assert.That(started.IsStarted, Is.False);
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.TotpEnrollmentRequired));
    }

    [Test]
    public async Task Start_BothAllowedNoSenderEnrolled_ChoosesTheAuthenticatorWithoutAlternatives()
    {
        using var host = await ChallengeTestHost.CreateAsync(withSender: false, factors: FactorTypes.Email | FactorTypes.Totp);
        await host.EnrolAsync();

        var started = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That((started.Factor, started.AlternativeFactors), Is.EqualTo((FactorTypes.Totp, FactorTypes.None)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Start_SecondStepNotRequired_IsNotRequiredWhateverIsEnrolled(bool demo)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        await host.EnrolAsync();
        var settings = host.Provider.GetRequiredService<ITwoFactorSettings>();
        var directory = host.Provider.GetRequiredService<ITwoFactorDirectory>();
        long principal = Account;
        if (demo)
        {
            principal = 9;
            await directory.RegisterAccountAsync(host.Tenant, principal, isDemo: true);
            await settings.UpdateAsync(host.Tenant, SettingsTarget.Selected(principal), TwoFactorSetting.Allowed(FactorTypes.Totp));
            await host.EnrolAsync(principal);
        }
        else
        {
            await settings.UpdateAsync(host.Tenant, SettingsTarget.Selected(principal), TwoFactorSetting.Disallowed);
        }

        var started = await host.Challenges.StartAsync(host.Tenant, principal);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.NotRequired));
    }

    [Test]
    public async Task Resend_AuthenticatorChallenge_HasNothingToSend()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        host.Time.Advance(TimeSpan.FromMinutes(1));

        var resent = await host.Challenges.ResendAsync(host.Tenant, token);
        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.NothingToSend));
        Assert.That(host.Sender.Messages, Is.Empty);
        Assert.That(verified.IsPassed, Is.True, "the refused resend changed nothing");
    }

    [Test]
    public async Task Resend_AuthenticatorChallengeWithoutAnySender_HasNothingToSend()
    {
        using var host = await ChallengeTestHost.CreateAsync(withSender: false, factors: FactorTypes.Totp);
        await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);

        var resent = await host.Challenges.ResendAsync(host.Tenant, token);
        var unknown = await host.Challenges.ResendAsync(host.Tenant, ChallengeToken.Create(FactorTypes.Email));

        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.NothingToSend));
        Assert.That(unknown.Outcome, Is.EqualTo(ChallengeResendOutcome.UnknownToken));
    }

    [Test]
    public async Task Verify_EmailChallengeWithTheAuthenticatorsCode_IsWrong()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Email | FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var started = await host.Challenges.StartWithFactorAsync(host.Tenant, Account, FactorTypes.Email);
        var appCode = app.CodeAt(host.Time.GetUtcNow());
        Assume.That(appCode, Is.Not.EqualTo(host.Sender.LastCode(host.Tenant, Account)));

        var verified = await host.Challenges.VerifyAsync(host.Tenant, started.Token, appCode);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
    }
}

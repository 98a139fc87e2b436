using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Challenges;

public class TwoFactorChallengeServiceTests
{
    private static readonly string TenMegabytes = new('1', 10 * 1024 * 1024);

    // ---- input hygiene (security.md item 9, policy.md C8) ---------------------------------------------------

    private static IEnumerable<TestCaseData> HostileCodes()
    {
        yield return new TestCaseData((Func<string, string?>)(_ => null)).SetArgDisplayNames("null");
        yield return new TestCaseData((Func<string, string?>)(_ => "")).SetArgDisplayNames("empty");
        yield return new TestCaseData((Func<string, string?>)(_ => "0")).SetArgDisplayNames("0");
        yield return new TestCaseData((Func<string, string?>)(c => c[..5])).SetArgDisplayNames("five digits of the code");
        yield return new TestCaseData((Func<string, string?>)(c => c + "0")).SetArgDisplayNames("the code and a digit");
        yield return new TestCaseData((Func<string, string?>)(c => " " + c)).SetArgDisplayNames("space and the code");
        yield return new TestCaseData((Func<string, string?>)(c => c + "\n")).SetArgDisplayNames("the code and a newline");
        yield return new TestCaseData((Func<string, string?>)(c => string.Concat(c.Select(d => (char)(d - '0' + '０'))))).SetArgDisplayNames("the code in full-width digits");
        yield return new TestCaseData((Func<string, string?>)(c => string.Concat(c.Select(d => (char)(d - '0' + '٠'))))).SetArgDisplayNames("the code in Arabic-Indic digits");
        yield return new TestCaseData((Func<string, string?>)(c => c[..5] + "a")).SetArgDisplayNames("12345a");
        yield return new TestCaseData((Func<string, string?>)(_ => TenMegabytes)).SetArgDisplayNames("10 MB");
    }

    [TestCaseSource(nameof(HostileCodes))]
    public async Task Verify_HostileCode_IsAWrongCodeNeverPassedNeverThrown(Func<string, string?> hostile)
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, code) = await host.StartAsync();

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, hostile(code));

        // Decision: a malformed code counts as a wrong attempt (it spends one and counts towards the lockout).
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(verified.AttemptsLeft, Is.EqualTo(4));
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "the challenge still works");
    }

    [TestCase("null")]
    [TestCase("")]
    [TestCase("short")]
    [TestCase("10MB")]
    [TestCase("token with a space")]
    [TestCase("token with padding")]
    public async Task VerifyAndResend_MalformedToken_AreInvalidInput(string kind)
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, code) = await host.StartAsync();
        var malformed = kind switch
        {
            "null" => null,
            "short" => token[..42],
            "10MB" => TenMegabytes,
            "token with a space" => " " + token[1..],
            "token with padding" => token[..42] + "=",
            _ => kind,
        };

        var verified = await host.Challenges.VerifyAsync(host.Tenant, malformed, code);
        var resent = await host.Challenges.ResendAsync(host.Tenant, malformed);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.InvalidInput));
        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.InvalidInput));
    }

    [Test]
    public async Task Operations_DefaultTenant_AreMisuse()
    {
        using var host = await ChallengeTestHost.CreateAsync();

        Assert.That(async () => await host.Challenges.StartAsync(default, 7), Throws.ArgumentException);
        Assert.That(async () => await host.Challenges.VerifyAsync(default, "x", "1"), Throws.ArgumentException);
        Assert.That(async () => await host.Challenges.ResendAsync(default, "x"), Throws.ArgumentException);
    }

    // ---- factor availability ------------------------------------------------------------------------------

    [Test]
    public async Task Start_NoSenderRegistered_AnswersFactorUnavailableAndStoresNothing()
    {
        using var host = await ChallengeTestHost.CreateAsync(withSender: false);

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.FactorUnavailable));
        Assert.That(started.Token, Is.Null);
        Assert.That(host.Provider.GetRequiredService<InMemoryChallengeStore>().ChallengeCount, Is.Zero);
        Assert.That(host.Logs.AllText, Has.Some.Contains("no IEmailCodeSender is registered"));
    }

    [Test]
    public async Task Start_PrincipalAllowedOnlyAuthenticatorAppNotEnrolled_AnswersEnrollmentRequiredNeverNotRequired()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
        Assert.That(started.Token, Is.Null);
        Assert.That(host.Sender.Messages, Is.Empty);
        Assert.That(host.Provider.GetRequiredService<InMemoryChallengeStore>().ChallengeCount, Is.Zero);
    }

    [Test]
    public async Task Start_BuilderRegisteredSender_IsUsed()
    {
        using var host = await ChallengeTestHost.CreateAsync(
            services => services.AddNavixyTwoFactor().AddEmailCodeSender<CountingSender>(),
            withSender: false);

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        Assert.That(host.Provider.GetRequiredService<IEmailCodeSender>(), Is.InstanceOf<CountingSender>());
    }

    [Test]
    public async Task Start_SenderFails_LeavesNoChallengeInTheStore()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        host.Sender.Fail = true;

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.DeliveryFailed));
        Assert.That(host.Provider.GetRequiredService<InMemoryChallengeStore>().ChallengeCount, Is.Zero);
    }

    // ---- failing closed (security.md items 10 of the issue, 25, 26) -------------------------------------------

    [Test]
    public async Task Start_ResolverThrows_AnswersFailedNotNotRequired()
    {
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IPrincipalPolicyStore, ThrowingPolicyStore>()));

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Failed));
        Assert.That(host.Sender.Messages, Is.Empty);
    }

    [Test]
    public async Task AllOperations_StoreThrows_AnswerFailedNeverPassed()
    {
        var store = new SwitchableChallengeStore();
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(store)));
        var (token, code) = await host.StartAsync();
        store.Throw = true;

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, code);
        var resent = await host.Challenges.ResendAsync(host.Tenant, token);
        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);
        var stepUp = await host.Provider.GetRequiredService<ITwoFactorStepUp>().RedeemAsync(host.Tenant, ChallengeTestHost.Account, token);
        var adminUnlocked = await host.Administration.UnlockAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(stepUp, Is.EqualTo(StepUpOutcome.Failed), "step-up answers the documented failure, never proof");
        Assert.That(adminUnlocked, Is.EqualTo(Navixy.TwoFactor.Administration.PrincipalUnlockOutcome.Failed), "the documented failure result");
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(verified.IsPassed, Is.False);
        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.Failed));
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Failed));
    }

    [Test]
    public async Task Verify_StoreAnswersNonsense_AnswersFailed()
    {
        var store = new SwitchableChallengeStore();
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(store)));
        var (token, code) = await host.StartAsync();
        store.Nonsense = true;

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
    }

    [Test]
    public async Task Verify_FindAnswersPassed_AnswersFailedNeverPassed()
    {
        var store = new SwitchableChallengeStore { FindPasses = true };
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(store)));

        var verified = await host.Challenges.VerifyAsync(host.Tenant, ChallengeToken.Create(FactorTypes.Totp), "123456");

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
    }

    [Test]
    public async Task Start_SenderFailsAndWithdrawingFails_StillAnswersDeliveryFailed()
    {
        var store = new SwitchableChallengeStore { ThrowOnRevoke = true };
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(store)));
        host.Sender.Fail = true;

        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.DeliveryFailed));
        Assert.That(started.Token, Is.Null);
    }

    [Test]
    public async Task Start_CallerCancels_PropagatesCancellation()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void DefaultResults_AreFailedNeverPassed()
    {
        Assert.That(default(ChallengeVerifyResult).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(default(ChallengeVerifyResult).IsPassed, Is.False);
        Assert.That(default(ChallengeStartResult).Outcome, Is.EqualTo(ChallengeStartOutcome.Failed));
        Assert.That(default(ChallengeResendResult).Outcome, Is.EqualTo(ChallengeResendOutcome.Failed));
    }

    [Test]
    public void PublicApi_NoOperationTakesATimeFromTheCaller()
    {
        var services = new[]
        {
            typeof(ITwoFactorChallenges), typeof(ITwoFactorSettings), typeof(ITwoFactorDirectory), typeof(ITwoFactorResolver),
            typeof(Navixy.TwoFactor.Totp.ITotpEnrollment), typeof(Navixy.TwoFactor.Administration.ITwoFactorAdministration),
        };
        var timeTypes = new[] { typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(TimeProvider), typeof(DateTime?), typeof(DateTimeOffset?) };

        var offending = services
            .SelectMany(s => s.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .SelectMany(m => m.GetParameters().Select(p => (Method: m, Parameter: p)))
            .Where(x => timeTypes.Contains(x.Parameter.ParameterType))

            // A scheduled change's moment (S11) is what the change is about, not the current time: the engine still compares
            // it with its own clock.
            .Where(x => x.Parameter.Name != "effectiveFrom")
            .Select(x => $"{x.Method.DeclaringType!.Name}.{x.Method.Name}({x.Parameter.Name})");

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void PublicApi_NothingMarksTheSecondStepPassedExceptVerify()
    {
        var methods = typeof(ITwoFactorChallenges).GetMethods().Where(m => m.ReturnType == typeof(ValueTask<ChallengeVerifyResult>)).Select(m => m.Name);

        Assert.That(methods, Is.EqualTo(new[] { nameof(ITwoFactorChallenges.VerifyAsync) }));
    }

    // ---- secrets stay out of strings ----------------------------------------------------------------------

    [Test]
    public async Task Results_ToString_NeverShowTheTokenOrCode()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var started = await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);
        var message = host.Sender.Messages.Single();

        Assert.That(started.ToString(), Does.Not.Contain(started.Token));
        Assert.That(started.ToString(), Does.Contain("Started"));
        Assert.That(message.ToString(), Does.Not.Contain(message.Code));
    }

    [Test]
    public void ResultFactories_OutcomesThatNeedData_AreMisuse()
    {
        Assert.That(() => ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Passed), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ChallengeStartResult.Of(ChallengeStartOutcome.Started), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ChallengeResendResult.Of(ChallengeResendOutcome.Sent), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private sealed class CountingSender : IEmailCodeSender
    {
        public ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken) => default;
    }

    private sealed class ThrowingPolicyStore : IPrincipalPolicyStore
    {
        public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The database is down.");

        public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The database is down.");
    }
}

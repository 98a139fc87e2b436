using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The contract of the authenticator stores (<see cref="ITotpEnrollmentStore"/>, <see cref="IRecoveryCodeStore"/>) together
/// with the challenge store's step-up and consume operations (policy.md T1–T2, security.md items 3, 5, 15, 16, 24, 28),
/// exercised through the public services so that every store gives the same answers.
/// </summary>
/// <remarks>
/// Two providers built by <see cref="StoreSpecification.CreateProvider"/> must share all stores (for a database: two nodes
/// over one database). Every engine is configured with the same key material, so either can read the other's secrets.
/// </remarks>
public abstract partial class TotpStoreSpecification : StoreSpecification
{
    /// <summary>Key material every engine of the suite shares (32 bytes, base64).</summary>
    protected static readonly string SharedKeyMaterial = Convert.ToBase64String(Enumerable.Range(11, 32).Select(i => (byte)i).ToArray());

    /// <summary>The fake clock's start: a time step boundary (1767225600 is a multiple of 30).</summary>
    protected static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>How many times each race is repeated.</summary>
    protected virtual int RaceRepetitions => 20;

    // ---- enrolment ------------------------------------------------------------------------------------------

    [Test]
    public async Task Enrol_BeginThenConfirm_ActivatesAndShowsRecoveryCodesOnce()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);

        var before = await engine.Enrollment.GetStatusAsync(tenant, 7);
        var begun = await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver@example.com");
        var pending = await engine.Enrollment.GetStatusAsync(tenant, 7);
        var confirmed = await engine.Enrollment.ConfirmAsync(tenant, 7, TestAuthenticator.From(begun).CodeAt(engine.Time.GetUtcNow()));
        var after = await engine.Enrollment.GetStatusAsync(tenant, 7);

        Assert.That(before, Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        Assert.That(begun.ExpiresAt, Is.EqualTo(Epoch + TimeSpan.FromMinutes(10)));
        Assert.That(pending, Is.EqualTo(new TotpEnrollmentStatus(false, true, 0)));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        Assert.That(confirmed.RecoveryCodes, Has.Count.EqualTo(10).And.Unique);
        Assert.That(after, Is.EqualTo(new TotpEnrollmentStatus(true, false, 10)));
    }

    [Test]
    public async Task Enrol_UnconfirmedSecret_DoesNotLetThePrincipalLogIn()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver");

        var started = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
    }

    [Test]
    public async Task Confirm_AtThePendingLifetime_IsExpired()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var app = TestAuthenticator.From(await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));

        engine.Time.Advance(TimeSpan.FromMinutes(10));
        var confirmed = await engine.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(engine.Time.GetUtcNow()));

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Expired));
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, 7), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
    }

    [Test]
    public async Task Confirm_SecondBegin_ReplacesThePendingSecret()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var first = TestAuthenticator.From(await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));
        var second = TestAuthenticator.From(await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));
        var now = engine.Time.GetUtcNow();

        var withFirst = await engine.Enrollment.ConfirmAsync(tenant, 7, first.CodeAt(now));
        var withSecond = await engine.Enrollment.ConfirmAsync(tenant, 7, second.CodeAt(now));

        Assert.That(withFirst.Outcome, Is.EqualTo(TotpEnrollmentOutcome.WrongCode));
        Assert.That(withSecond.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
    }

    [Test]
    public async Task Confirm_TwentyConcurrentRightCodesOnTwoEngines_ExactlyOneConfirms()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time);
        using var second = CreateEngine(time);
        var tenant = NewTenant();
        await AddAccountAsync(first, tenant, 7, FactorTypes.Totp);

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var begun = await first.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", round == 0 ? null : await PassAsync(first, tenant, 7));
            var code = TestAuthenticator.From(begun).CodeAt(time.GetUtcNow());

            var outcomes = await RaceAsync(20, i => (i % 2 == 0 ? first : second).Enrollment.ConfirmAsync(tenant, 7, code).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == TotpEnrollmentOutcome.Confirmed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == TotpEnrollmentOutcome.NoPendingEnrollment), Is.EqualTo(19), $"round {round}");
            SetApp(first, tenant, 7, begun);
            time.Advance(Step);
        }
    }

    // ---- login with the authenticator (T2, security.md items 12 and 15) -----------------------------------

    [Test]
    public async Task Login_AuthenticatorCode_PassesAndTheSameCodeOnANewChallengeIsRefused()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var (app, _) = await EnrolAsync(engine, tenant, 7);
        var code = app.CodeAt(engine.Time.GetUtcNow());

        var first = await LoginAsync(engine, tenant, 7, code);
        var replay = await LoginAsync(engine, tenant, 7, code);

        Assert.That(first.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(first.PrincipalId, Is.EqualTo(7));
        Assert.That(replay.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "C5: a copy of a used code is already used, not a failure");
    }

    [Test]
    public async Task Login_EarlierStepAfterALaterOneWasAccepted_IsRefused()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var (app, _) = await EnrolAsync(engine, tenant, 7);
        engine.Time.Advance(Step);
        var now = engine.Time.GetUtcNow();

        var later = await LoginAsync(engine, tenant, 7, app.CodeAt(now, +1));
        var current = await LoginAsync(engine, tenant, 7, app.CodeAt(now));
        engine.Time.Advance(Step * 2);
        var next = await LoginAsync(engine, tenant, 7, app.CodeAt(engine.Time.GetUtcNow()));

        Assert.That(later.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(current.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "a step before the last accepted one");
        Assert.That(next.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task Login_OneCodeOnTenChallengesConcurrentlyOnTwoEngines_ExactlyOnePasses()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time, RaceLimits);
        using var second = CreateEngine(time, RaceLimits);
        var tenant = NewTenant();
        await AddAccountAsync(first, tenant, 7, FactorTypes.Totp);
        var (app, _) = await EnrolAsync(first, tenant, 7);

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var tokens = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                tokens.Add((await first.Challenges.StartAsync(tenant, 7)).Token!);
            }

            var code = app.CodeAt(time.GetUtcNow());
            var outcomes = await RaceAsync(10, i => (i % 2 == 0 ? first : second).Challenges.VerifyAsync(tenant, tokens[i], code).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.AlreadyUsed), Is.EqualTo(9), $"round {round}: copies are already used (C5)");
            time.Advance(Step);
        }
    }

    [Test]
    public async Task ReEnrol_WithStepUp_TheOldSecretStopsVerifying()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var (old, _) = await EnrolAsync(engine, tenant, 7);

        var begun = await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", await PassAsync(engine, tenant, 7));
        var stillOld = await LoginAsync(engine, tenant, 7, old.CodeAt(engine.Time.GetUtcNow(), +1));
        var fresh = TestAuthenticator.From(begun);
        engine.Time.Advance(Step * 2);
        Assert.That((await engine.Enrollment.ConfirmAsync(tenant, 7, fresh.CodeAt(engine.Time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        engine.Time.Advance(Step);
        var withOld = await LoginAsync(engine, tenant, 7, old.CodeAt(engine.Time.GetUtcNow()));
        var withNew = await LoginAsync(engine, tenant, 7, fresh.CodeAt(engine.Time.GetUtcNow()));

        Assert.That(stillOld.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "the old secret works until the new one is confirmed");
        Assert.That(withOld.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(withNew.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    // ---- recovery codes (security.md item 16) ---------------------------------------------------------------

    [Test]
    public async Task RecoveryCode_PassesOnceAndTheCountGoesDown()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var (_, codes) = await EnrolAsync(engine, tenant, 7);

        var first = await LoginAsync(engine, tenant, 7, codes[3]);
        var again = await LoginAsync(engine, tenant, 7, codes[3].ToLowerInvariant());

        Assert.That(first.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(again.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "C5: a redeemed code is already used, not a failure");
        Assert.That((await engine.Enrollment.GetStatusAsync(tenant, 7))?.RecoveryCodesLeft, Is.EqualTo(9));
    }

    [Test]
    public async Task RecoveryCode_FiftyConcurrentRedemptionsOnTwoEngines_ExactlyOnePasses()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time, RaceLimits);
        using var second = CreateEngine(time, RaceLimits);
        var tenant = NewTenant();
        await AddAccountAsync(first, tenant, 7, FactorTypes.Totp);
        var (_, codes) = await EnrolAsync(first, tenant, 7);
        var tokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            tokens.Add((await first.Challenges.StartAsync(tenant, 7)).Token!);
        }

        var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? first : second).Challenges.VerifyAsync(tenant, tokens[i % tokens.Count], codes[0]).AsTask());

        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1));
        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.AlreadyUsed), Is.EqualTo(49), "C5: copies are already used");
        Assert.That((await first.Enrollment.GetStatusAsync(tenant, 7))?.RecoveryCodesLeft, Is.EqualTo(9));
    }

    [Test]
    public async Task RecoveryCodes_EveryCodeRedeemedFiveTimesConcurrently_EachPassesExactlyOnce()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time, RaceLimits);
        using var second = CreateEngine(time, RaceLimits);
        var tenant = NewTenant();
        await AddAccountAsync(first, tenant, 7, FactorTypes.Totp);
        var (_, codes) = await EnrolAsync(first, tenant, 7);
        var tokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            tokens.Add((await first.Challenges.StartAsync(tenant, 7)).Token!);
        }

        var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? first : second).Challenges.VerifyAsync(tenant, tokens[i % tokens.Count], codes[i % codes.Count]).AsTask());

        var passesPerCode = Enumerable.Range(0, codes.Count).Select(c => Enumerable.Range(0, 50).Count(i => i % codes.Count == c && outcomes[i].IsPassed));
        Assert.That(passesPerCode, Is.All.EqualTo(1));
        Assert.That((await first.Enrollment.GetStatusAsync(tenant, 7))?.RecoveryCodesLeft, Is.Zero);
    }

    [Test]
    public async Task Regenerate_WithStepUp_VoidsTheOldSet()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        var (_, old) = await EnrolAsync(engine, tenant, 7);
        await LoginAsync(engine, tenant, 7, old[0]);

        var regenerated = await engine.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, await PassAsync(engine, tenant, 7));
        var withOld = await LoginAsync(engine, tenant, 7, old[1]);
        var withNew = await LoginAsync(engine, tenant, 7, regenerated.RecoveryCodes[1]);

        Assert.That(regenerated.Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated));
        Assert.That(regenerated.RecoveryCodes, Has.Count.EqualTo(10));
        Assert.That(regenerated.RecoveryCodes, Has.None.AnyOf(old.ToArray()));
        Assert.That(withOld.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(withNew.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await engine.Enrollment.GetStatusAsync(tenant, 7))?.RecoveryCodesLeft, Is.EqualTo(9));
    }

    // ---- step-up (security.md item 28) ----------------------------------------------------------------------

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not a token")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task SensitiveChanges_WithoutAPassedChallenge_AnswerStepUpRequiredAndChangeNothing(string? token)
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        await EnrolAsync(engine, tenant, 7);

        var disabled = await engine.Enrollment.DisableAsync(tenant, 7, token);
        var regenerated = await engine.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, token);
        var replaced = await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", token);

        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(regenerated.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(regenerated.RecoveryCodes, Is.Empty);
        Assert.That(replaced.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(replaced.Secret, Is.Null);
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, 7), Is.EqualTo(new TotpEnrollmentStatus(true, false, 10)));
    }

    [Test]
    public async Task StepUp_AFreshPass_IsAcceptedOnceOnly()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        await EnrolAsync(engine, tenant, 7);
        var token = await PassAsync(engine, tenant, 7);

        var regenerated = await engine.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, token);
        var disabledWithTheSameToken = await engine.Enrollment.DisableAsync(tenant, 7, token);
        var disabled = await engine.Enrollment.DisableAsync(tenant, 7, await PassAsync(engine, tenant, 7));

        Assert.That(regenerated.Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated));
        Assert.That(disabledWithTheSameToken.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, 7), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
    }

    [Test]
    public async Task StepUp_APassByEmail_CountsToo()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp | FactorTypes.Email);
        await EnrolAsync(engine, tenant, 7);
        var started = await engine.Challenges.StartWithFactorAsync(tenant, 7, FactorTypes.Email);
        Assert.That((await engine.Challenges.VerifyAsync(tenant, started.Token, engine.Sender.LastCode(tenant, 7))).IsPassed, Is.True);

        var disabled = await engine.Enrollment.DisableAsync(tenant, 7, started.Token);

        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
    }

    [Test]
    public async Task StepUp_APassOfFiveMinutesAgo_IsRefusedAndOfFourMinutesFiftyNineAccepted()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        await EnrolAsync(engine, tenant, 7);
        var old = await PassAsync(engine, tenant, 7);
        var oldPassedAt = engine.Time.GetUtcNow();
        var recent = await PassAsync(engine, tenant, 7);
        var recentPassedAt = engine.Time.GetUtcNow();

        engine.Time.Advance(oldPassedAt + TimeSpan.FromMinutes(5) - engine.Time.GetUtcNow());
        var withOld = await engine.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, old);
        engine.Time.Advance(recentPassedAt + TimeSpan.FromSeconds(299) - engine.Time.GetUtcNow());
        var withRecent = await engine.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, recent);

        Assert.That(withOld.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(withRecent.Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated));
    }

    [Test]
    public async Task StepUp_AnotherPrincipalsPassOrAnUnpassedChallenge_IsRefused()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp);
        await AddAccountAsync(engine, tenant, 8, FactorTypes.Totp);
        await EnrolAsync(engine, tenant, 7);
        await EnrolAsync(engine, tenant, 8);
        var othersPass = await PassAsync(engine, tenant, 8);
        var unpassed = (await engine.Challenges.StartAsync(tenant, 7)).Token;

        var withOthers = await engine.Enrollment.DisableAsync(tenant, 7, othersPass);
        var withUnpassed = await engine.Enrollment.DisableAsync(tenant, 7, unpassed);

        Assert.That(withOthers.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(withUnpassed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That((await engine.Enrollment.GetStatusAsync(tenant, 7))?.IsEnrolled, Is.True);
        Assert.That((await engine.Enrollment.DisableAsync(tenant, 8, othersPass)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled), "the refusal spent nothing");
    }

    // ---- tenants and administrators (security.md item 24) ---------------------------------------------------

    [Test]
    public async Task TenantIsolation_SameIdInTwoTenants_SharesNoSecretCodeOrCounter()
    {
        using var engine = CreateEngine();
        var tenantA = NewTenant();
        var tenantB = NewTenant();
        await AddAccountAsync(engine, tenantA, 7, FactorTypes.Totp);
        await AddAccountAsync(engine, tenantB, 7, FactorTypes.Totp);
        var (appA, codesA) = await EnrolAsync(engine, tenantA, 7);

        var statusB = await engine.Enrollment.GetStatusAsync(tenantB, 7);
        var startB = await engine.Challenges.StartAsync(tenantB, 7);
        await EnrolAsync(engine, tenantB, 7);
        var codeOfAInB = await LoginAsync(engine, tenantB, 7, appA.CodeAt(engine.Time.GetUtcNow()));
        var recoveryOfAInB = await LoginAsync(engine, tenantB, 7, codesA[0]);
        var resetB = await engine.Administration.ResetAsync(tenantB, 7);

        Assert.That(statusB, Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
        Assert.That(startB.Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
        Assert.That(codeOfAInB.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(recoveryOfAInB.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(resetB.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        Assert.That(await engine.Enrollment.GetStatusAsync(tenantA, 7), Is.EqualTo(new TotpEnrollmentStatus(true, false, 10)));
        Assert.That((await LoginAsync(engine, tenantA, 7, appA.CodeAt(engine.Time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await LoginAsync(engine, tenantA, 7, codesA[0])).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task AdminReset_RemovesAuthenticatorPendingSecretAndRecoveryCodes()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddAccountAsync(engine, tenant, 7, FactorTypes.Totp | FactorTypes.Email);
        var (app, codes) = await EnrolAsync(engine, tenant, 7);
        await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", await PassAsync(engine, tenant, 7));

        var reset = await engine.Administration.ResetAsync(tenant, 7);
        var again = await engine.Administration.ResetAsync(tenant, 7);
        var started = await engine.Challenges.StartAsync(tenant, 7);
        var withRecoveryCode = await engine.Challenges.VerifyAsync(tenant, started.Token, codes[0]);

        Assert.That(reset.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        Assert.That(again.Outcome, Is.EqualTo(TotpEnrollmentOutcome.NotEnrolled));
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, 7), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
        Assert.That((started.Factor, started.AlternativeFactors), Is.EqualTo((FactorTypes.Email, FactorTypes.None)), "no authenticator to choose any more");
        Assert.That(withRecoveryCode.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That((await engine.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(engine.Time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.NoPendingEnrollment));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /// <summary>Lockout limits loose enough that the losers of a race cannot lock the principal before the winner passes.</summary>
    protected static void RaceLimits(TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Challenges.PrincipalLockoutThreshold = 50;
        options.Challenges.PrincipalMaxConsecutiveFailures = ChallengeOptions.MaxConsecutiveFailuresLimit;
        options.Challenges.MaxOpenChallenges = 20; // the most allowed (C9), so that a race may spread over many challenges
    }

    /// <summary>
    /// Builds an engine with the stores under test, a recording sender, the shared key and the fastest recovery-code hashing
    /// the options allow; <paramref name="register"/> adds services of the test's own (an audit sink, say).
    /// </summary>
    protected Engine CreateEngine(FakeTimeProvider? time = null, Action<TwoFactorOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        time ??= new FakeTimeProvider(Epoch);
        var sender = new RecordingEmailSender();
        var provider = CreateProvider(time, services =>
        {
            services.AddSingleton<IEmailCodeSender>(sender);
            services.Configure<TwoFactorOptions>(o =>
            {
                o.KeyMaterial = SharedKeyMaterial;
                o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
                configure?.Invoke(o);
            });
            register?.Invoke(services);
        });
        return new Engine(provider, time, sender);
    }

    /// <summary>Registers an account with the given factors allowed.</summary>
    protected static async Task AddAccountAsync(Engine engine, TenantId tenant, long accountId, FactorTypes factors)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, accountId)).Succeeded, Is.True);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(accountId), TwoFactorSetting.Allowed(factors))).Succeeded, Is.True);
    }

    /// <summary>
    /// Begins and confirms an enrolment; answers the app and the recovery codes, and moves the clock one time step on so
    /// that the next code belongs to a step not yet used.
    /// </summary>
    protected static async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var begun = await engine.Enrollment.BeginAsync(tenant, principalId, "Fleet", "driver");
        if (begun.Outcome == TotpEnrollmentOutcome.StepUpRequired)
        {
            // T4: a principal that passes by email binds an app only behind a fresh pass; then past the send cooldown (C9).
            var stepUp = await engine.Challenges.StartWithFactorAsync(tenant, principalId, FactorTypes.Email);
            Assert.That((await engine.Challenges.VerifyAsync(tenant, stepUp.Token, engine.Sender.LastCode(tenant, principalId))).IsPassed, Is.True);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
            begun = await engine.Enrollment.BeginAsync(tenant, principalId, "Fleet", "driver", stepUp.Token);
        }

        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        var app = TestAuthenticator.From(begun);
        var confirmed = await engine.Enrollment.ConfirmAsync(tenant, principalId, app.CodeAt(engine.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        SetApp(engine, tenant, principalId, begun);
        engine.Time.Advance(Step);
        return (app, confirmed.RecoveryCodes);
    }

    /// <summary>Starts a challenge that must start and verifies <paramref name="code"/> on it.</summary>
    protected static async Task<ChallengeVerifyResult> LoginAsync(Engine engine, TenantId tenant, long principalId, string code)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var started = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return await engine.Challenges.VerifyAsync(tenant, started.Token, code);
    }

    /// <summary>Passes a fresh second step with the principal's authenticator; answers the token, for step-up proof.</summary>
    protected static async Task<string> PassAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var app = engine.Apps[(tenant, principalId)];
        var started = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That(started.Factor, Is.EqualTo(FactorTypes.Totp));

        // The next step nobody used yet: the clock moves on one step per pass.
        engine.Time.Advance(Step);
        var verified = await engine.Challenges.VerifyAsync(tenant, started.Token, app.CodeAt(engine.Time.GetUtcNow()));
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        return started.Token!;
    }

    /// <summary>Remembers the app of an enrolment so that <see cref="PassAsync"/> can use it.</summary>
    protected static void SetApp(Engine engine, TenantId tenant, long principalId, TotpEnrollmentBeginResult begun)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.Apps[(tenant, principalId)] = TestAuthenticator.From(begun);
    }

    /// <summary>Runs <paramref name="count"/> operations released at once on thread-pool threads.</summary>
    protected static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> operation)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await operation(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    /// <summary>One engine instance: its provider, clock, sender, services, and the apps enrolled through it.</summary>
    protected sealed class Engine(ServiceProvider provider, FakeTimeProvider time, RecordingEmailSender sender) : IDisposable
    {
        public ServiceProvider Provider { get; } = provider;

        public FakeTimeProvider Time { get; } = time;

        public RecordingEmailSender Sender { get; } = sender;

        public Dictionary<(TenantId, long), TestAuthenticator> Apps { get; } = [];

        public ITwoFactorChallenges Challenges => Provider.GetRequiredService<ITwoFactorChallenges>();

        public ITotpEnrollment Enrollment => Provider.GetRequiredService<ITotpEnrollment>();

        public ITwoFactorAdministration Administration => Provider.GetRequiredService<ITwoFactorAdministration>();

        public ITwoFactorDirectory Directory => Provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorSettings Settings => Provider.GetRequiredService<ITwoFactorSettings>();

        public void Dispose() => Provider.Dispose();
    }
}

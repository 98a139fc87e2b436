using System.Reflection;
using System.Security.Cryptography;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Challenges;
using Navixy.TwoFactor.Tests.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Totp;

public class TotpEnrollmentServiceTests
{
    private const long Account = ChallengeTestHost.Account;

    // ---- begin (policy.md T1, security.md item 3) ----------------------------------------------------------

    [Test]
    public async Task Begin_AnswersA20ByteBase32SecretAndTheUriOfTheSameSecret()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        var begun = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet & Co", "driver@example.com");

        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        Assert.That(begun.Secret, Does.Match("^[A-Z2-7]{32}$"), "160 bits of Base32 without padding");
        Assert.That(TestAuthenticator.From(begun).Key.Length, Is.EqualTo(20));
        Assert.That(begun.Parameters, Is.EqualTo(TotpParameters.Default));
        var uri = new Uri(begun.OtpAuthUri!);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.That((uri.Scheme, uri.Host), Is.EqualTo(("otpauth", "totp")));
        Assert.That(query["secret"], Is.EqualTo(begun.Secret));
        Assert.That(query["issuer"], Is.EqualTo("Fleet & Co"));
        Assert.That(Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), Is.EqualTo("Fleet & Co:driver@example.com"));
    }

    [Test]
    public async Task Begin_TwoEnrolments_HaveDifferentSecrets()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        var first = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var second = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");

        Assert.That(first.Secret, Is.Not.EqualTo(second.Secret));
    }

    [Test]
    public async Task Begin_UnknownPrincipal_AnswersUnknownPrincipalAndStoresNothing()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        var begun = await host.Enrollment.BeginAsync(host.Tenant, 404, "Fleet", "driver");

        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.UnknownPrincipal));
        Assert.That(begun.Secret, Is.Null);
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, 404))?.HasPendingEnrollment, Is.False);
    }

    [Test]
    public async Task Begin_EmptyIssuerOrAccountOrDefaultTenant_IsMisuse()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        Assert.That(async () => await host.Enrollment.BeginAsync(host.Tenant, Account, " ", "driver"), Throws.ArgumentException);
        Assert.That(async () => await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", ""), Throws.ArgumentException);
        Assert.That(async () => await host.Enrollment.BeginAsync(default, Account, "Fleet", "driver"), Throws.ArgumentException);
        Assert.That(async () => await host.Enrollment.ConfirmAsync(default, Account, "123456"), Throws.ArgumentException);
        Assert.That(async () => await host.Administration.ResetAsync(default, Account), Throws.ArgumentException);
    }

    // ---- confirm: window edges on a fake clock (security.md item 12) ----------------------------------------

    [TestCase(-2, TotpEnrollmentOutcome.WrongCode)]
    [TestCase(-1, TotpEnrollmentOutcome.Confirmed)]
    [TestCase(0, TotpEnrollmentOutcome.Confirmed)]
    [TestCase(1, TotpEnrollmentOutcome.Confirmed)]
    [TestCase(2, TotpEnrollmentOutcome.WrongCode)]
    public async Task Confirm_CodeOfAStepAroundNow_IsAcceptedOnlyOneStepEitherSide(int steps, TotpEnrollmentOutcome expected)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        host.Time.Advance(TimeSpan.FromSeconds(75)); // mid-step: steps are whole periods, not seconds from now

        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow(), steps));

        Assert.That(confirmed.Outcome, Is.EqualTo(expected));
    }

    [Test]
    public async Task Confirm_ConfiguredWiderWindow_AcceptsTwoStepsBackButNotThree()
    {
        using var host = await ChallengeTestHost.CreateAsync(
            services => services.Configure<TwoFactorOptions>(o => o.Totp.StepsBack = 2),
            factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var now = host.Time.GetUtcNow();

        var three = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(now, -3));
        var two = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(now, -2));

        Assert.That(three.Outcome, Is.EqualTo(TotpEnrollmentOutcome.WrongCode));
        Assert.That(two.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
    }

    [Test]
    public async Task Confirm_At9Minutes59Seconds_IsAccepted()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));

        host.Time.Advance(TimeSpan.FromSeconds(599));
        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
    }

    private static IEnumerable<TestCaseData> MalformedCodes()
    {
        yield return new TestCaseData((string?)null).SetArgDisplayNames("null");
        yield return new TestCaseData("").SetArgDisplayNames("empty");
        yield return new TestCaseData("12345").SetArgDisplayNames("five digits");
        yield return new TestCaseData("1234567").SetArgDisplayNames("seven digits");
        yield return new TestCaseData(" 12345").SetArgDisplayNames("space and five digits");
        yield return new TestCaseData("１２３４５６").SetArgDisplayNames("full-width");
        yield return new TestCaseData("٠١٢٣٤٥").SetArgDisplayNames("Arabic-Indic");
        yield return new TestCaseData(new string('1', 10 * 1024 * 1024)).SetArgDisplayNames("10 MB");
    }

    [TestCaseSource(nameof(MalformedCodes))]
    public async Task Confirm_MalformedCode_IsInvalidInputCountsNothingAndThrowsNothing(string? code)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));

        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, code);

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.InvalidInput));
        for (var i = 0; i < 4; i++)
        {
            // Four wrong codes leave the last of five attempts: the malformed one spent none.
            await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.WrongCodeAt(host.Time.GetUtcNow()));
        }

        Assert.That((await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed), "no attempt was counted");
    }

    [Test]
    [Description("T4 (security.md 33): wrong confirmation codes count toward the principal's lockout; a pending enrolment takes at most five")]
    public async Task T4_Confirm_WrongCodes_CountTowardThePrincipalsLockout()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var outcomes = new List<TotpEnrollmentOutcome>();
        TestAuthenticator app = null!;
        for (var enrolment = 0; enrolment < 2; enrolment++)
        {
            app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
            for (var i = 0; i < 5; i++)
            {
                outcomes.Add((await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.WrongCodeAt(host.Time.GetUtcNow()))).Outcome);
            }
        }

        var sixth = outcomes.Count;
        var whileLocked = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()));
        var begin = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");

        Assert.That(sixth, Is.EqualTo(10));
        Assert.That(outcomes.Take(9), Is.All.EqualTo(TotpEnrollmentOutcome.WrongCode));
        Assert.That(outcomes[9], Is.EqualTo(TotpEnrollmentOutcome.PrincipalLocked), "the tenth failure locks");
        Assert.That(whileLocked.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Locked), "the pending enrolment is out of attempts: the right code is refused");
        Assert.That(begin.Outcome, Is.EqualTo(TotpEnrollmentOutcome.PrincipalLocked), "the same count guards enrolment");
        Assert.That(begin.LockedUntil, Is.EqualTo(ChallengeTestHost.Epoch + TimeSpan.FromMinutes(15)));
    }

    [Test]
    [Description("T4 (security.md 33): a pending enrolment refuses its sixth confirmation code even if right")]
    public async Task T4_Confirm_SixthCodeOfAPendingEnrolment_IsRefusedEvenIfRight()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        for (var i = 0; i < 5; i++)
        {
            await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.WrongCodeAt(host.Time.GetUtcNow()));
        }

        var sixth = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(sixth.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Locked));
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, Account))?.IsEnrolled, Is.False);
    }

    [Test]
    [Description("T4 (security.md 32): a first authenticator needs a fresh step-up whenever a second step applies to the principal")]
    public async Task T4_Begin_FirstAuthenticatorWhileEmailIsRequired_NeedsStepUp()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp | FactorTypes.Email);

        var without = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var with = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver", await host.StepUpByEmailAsync());

        Assert.That(without.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That(with.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        Assert.That(with.ExpiresAt, Is.LessThanOrEqualTo(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5)), "confirmed within the step-up lifetime");
    }

    [Test]
    [Description("C10/T4: regenerating recovery codes racing an administrator's reset never leaves codes without an authenticator")]
    public async Task Regenerate_RacingAdminReset_LeavesNoCodesWithoutAnAuthenticator()
    {
        for (var round = 0; round < 20; round++)
        {
            using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
            var (app, _) = await host.EnrolAsync();
            var token = await host.StartTokenAsync(FactorTypes.Totp);
            Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()))).IsPassed, Is.True);

            await Task.WhenAll(
                Task.Run(async () => await host.Enrollment.RegenerateRecoveryCodesAsync(host.Tenant, Account, token)),
                Task.Run(async () => await host.Administration.ResetAsync(host.Tenant, Account)));

            var status = (await host.Enrollment.GetStatusAsync(host.Tenant, Account))!.Value;
            Assert.That(status.IsEnrolled, Is.False, $"round {round}");
            Assert.That(status.RecoveryCodesLeft, Is.Zero, $"round {round}: no recovery code outlives the authenticator");
        }
    }

    // ---- secrets at rest (security.md items 3 and 5) --------------------------------------------------------

    [Test]
    public async Task AtRest_TheStoreHoldsOnlyCiphertextBoundToTenantAndPrincipal()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var begun = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var secret = TestAuthenticator.From(begun).Key.ToArray();
        var store = host.Provider.GetRequiredService<InMemoryTotpStore>();
        var record = (await store.GetAsync(host.Tenant, Account, CancellationToken.None))!;
        var protector = host.Provider.GetRequiredService<ISecretProtector>();

        Assert.That(record.PendingSecret!.AsSpan().IndexOf(secret.AsSpan(0, 8)), Is.EqualTo(-1), "not the plain secret");
        Assert.That(record.PendingSecret, Has.Length.EqualTo(1 + 12 + 16 + 20), "version, nonce, tag, ciphertext (AES-GCM)");
        Assert.That(protector.TryUnprotect(record.PendingSecret, TotpFactor.AssociatedData(host.Tenant, Account), out var plain), Is.True);
        Assert.That(plain, Is.EqualTo(secret));
        Assert.That(protector.TryUnprotect(record.PendingSecret, TotpFactor.AssociatedData(host.Tenant, Account + 1), out _), Is.False, "another principal");
        Assert.That(protector.TryUnprotect(record.PendingSecret, TotpFactor.AssociatedData(new TenantId(43), Account), out _), Is.False, "another tenant");
    }

    [Test]
    public async Task AtRest_ASecretCopiedToAnotherPrincipal_FailsCleanly()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        await host.Provider.GetRequiredService<Navixy.TwoFactor.Settings.ITwoFactorDirectory>().RegisterSubUserAsync(host.Tenant, 8, Account);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        var store = host.Provider.GetRequiredService<InMemoryTotpStore>();
        var record = (await store.GetAsync(host.Tenant, Account, CancellationToken.None))!;
        await store.SavePendingAsync(host.Tenant, 8, record.PendingSecret!, record.PendingExpiresAt, CancellationToken.None);

        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, 8, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, 8))?.IsEnrolled, Is.False);
        Assert.That(host.Logs.Entries.Select(e => e.EventId.Id), Contains.Item(8), "the unreadable secret was logged");
    }

    [Test]
    public async Task Confirm_TamperedPendingSecret_FailsCleanly()
    {
        var store = new SwitchableTotpStore();
        using var host = await ChallengeTestHost.CreateAsync(services => ReplaceTotpStores(services, store), factors: FactorTypes.Totp);
        var app = TestAuthenticator.From(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        store.TamperPending = true;

        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()));

        // The tampered blob names no confirmation challenge of its own: refused before any code is evaluated.
        Assert.That(confirmed.Outcome, Is.AnyOf(TotpEnrollmentOutcome.Failed, TotpEnrollmentOutcome.NoPendingEnrollment));
        store.TamperPending = false;
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, Account))?.IsEnrolled, Is.False);
    }

    [Test]
    public async Task AfterConfirmation_NoOperationAnswersTheSecretOrTheUri()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var begun = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var app = TestAuthenticator.From(begun);
        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, app.CodeAt(host.Time.GetUtcNow()));

        var again = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var status = (await host.Enrollment.GetStatusAsync(host.Tenant, Account))!.Value;
        var started = await host.Challenges.StartAsync(host.Tenant, Account);
        var regenerated = await host.Enrollment.RegenerateRecoveryCodesAsync(host.Tenant, Account, null);
        var answers = new object[] { confirmed, again, status, started, regenerated };

        Assert.That(again.Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
        Assert.That((again.Secret, again.OtpAuthUri), Is.EqualTo(((string?)null, (string?)null)));
        foreach (var answer in answers)
        {
            var texts = answer.GetType().GetProperties().Select(p => p.GetValue(answer)).Append(answer.ToString()).Select(v => v switch
            {
                IEnumerable<string> list => string.Join(' ', list),
                _ => v?.ToString() ?? "",
            });
            Assert.That(texts, Has.None.Contains(begun.Secret).And.None.Contains(begun.OtpAuthUri), answer.GetType().Name);
        }
    }

    [Test]
    public void PublicApi_OnlyBeginResultCarriesASecretOrUri()
    {
        var services = new[] { typeof(ITotpEnrollment), typeof(ITwoFactorAdministration), typeof(ITwoFactorChallenges) };

        var carriers = services
            .SelectMany(s => s.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(m => m.ReturnType.IsGenericType ? m.ReturnType.GetGenericArguments()[0] : m.ReturnType)
            .Distinct()
            .Where(t => t.GetProperties().Any(p => p.Name is "Secret" or "OtpAuthUri" || p.PropertyType == typeof(byte[])))
            .Select(t => t.Name);

        Assert.That(carriers, Is.EqualTo(new[] { nameof(TotpEnrollmentBeginResult) }));
    }

    [Test]
    public async Task Results_ToString_NeverShowSecretUriOrRecoveryCodes()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var begun = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, TestAuthenticator.From(begun).CodeAt(host.Time.GetUtcNow()));

        Assert.That(begun.ToString(), Does.StartWith("Begun").And.Not.Contain(begun.Secret).And.Not.Contain("otpauth"));
        Assert.That(confirmed.ToString(), Is.EqualTo("Confirmed (10 recovery codes)"));
    }

    [Test]
    public void ResultFactories_OutcomesThatNeedDataOrBelongElsewhere_AreMisuse()
    {
        Assert.That(() => TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.Begun), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.Confirmed), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Confirmed), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => TotpEnrollmentResult.Of((TotpEnrollmentOutcome)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(default(TotpEnrollmentResult).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(default(TotpEnrollmentResult).RecoveryCodes, Is.Empty);
        Assert.That(default(TotpEnrollmentBeginResult).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
    }

    // ---- self-service and administrator (security.md item 28) -----------------------------------------------

    [Test]
    public async Task Regenerate_NotEnrolled_AnswersNotEnrolled()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);

        Assert.That((await host.Enrollment.RegenerateRecoveryCodesAsync(host.Tenant, Account, null)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.NotEnrolled));
        Assert.That((await host.Enrollment.DisableAsync(host.Tenant, Account, null)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.NotEnrolled));
    }

    [Test]
    public async Task Disable_PrincipalAlsoAllowedEmail_LogsInWithEmailAfterwards()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp | FactorTypes.Email);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()))).IsPassed, Is.True);

        var disabled = await host.Enrollment.DisableAsync(host.Tenant, Account, token);
        var next = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
        Assert.That((next.Outcome, next.Factor), Is.EqualTo((ChallengeStartOutcome.Started, FactorTypes.Email)));
    }

    [Test]
    public async Task AdminReset_IsScopedToTheTenant()
    {
        var store = new InMemoryTotpStore();
        using var hostA = await ChallengeTestHost.CreateAsync(services => ReplaceTotpStores(services, store), factors: FactorTypes.Totp);
        await hostA.EnrolAsync();
        var otherTenant = new TenantId(43);
        await store.SavePendingAsync(otherTenant, Account, [1, 2, 3], ChallengeTestHost.Epoch + TimeSpan.FromHours(1), CancellationToken.None);

        var reset = await hostA.Administration.ResetAsync(otherTenant, Account);

        Assert.That(reset.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        Assert.That(await hostA.Enrollment.GetStatusAsync(hostA.Tenant, Account), Is.EqualTo(new TotpEnrollmentStatus(true, false, 10)));
        Assert.That(await store.GetAsync(otherTenant, Account, CancellationToken.None), Is.Null);
    }

    // ---- failing closed -------------------------------------------------------------------------------------

    [Test]
    public async Task AllOperations_StoreThrows_AnswerFailedAndChangeNothingVisible()
    {
        var store = new SwitchableTotpStore();
        using var host = await ChallengeTestHost.CreateAsync(services => ReplaceTotpStores(services, store), factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        store.Throw = true;

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));
        var started = await host.Challenges.StartAsync(host.Tenant, Account);
        var begun = await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver");
        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, Account, "123456");
        var regenerated = await host.Enrollment.RegenerateRecoveryCodesAsync(host.Tenant, Account, token);
        var disabled = await host.Enrollment.DisableAsync(host.Tenant, Account, token);
        var reset = await host.Administration.ResetAsync(host.Tenant, Account);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Failed));
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(begun.Secret, Is.Null);
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(regenerated.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(reset.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(await host.Enrollment.GetStatusAsync(host.Tenant, Account), Is.Null, "a status read answers null, as documented");
        store.Throw = false;
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()))).IsPassed, Is.True, "the failed verify spent nothing");
    }

    // ---- registration ---------------------------------------------------------------------------------------

    [Test]
    public async Task Registration_OneInMemoryStoreServesBothInterfacesAndTheDefaultProtectorIsAesGcm()
    {
        using var host = await ChallengeTestHost.CreateAsync();

        Assert.That(host.Provider.GetRequiredService<ITotpEnrollmentStore>(), Is.SameAs(host.Provider.GetRequiredService<IRecoveryCodeStore>()));
        Assert.That(host.Provider.GetRequiredService<ITotpEnrollmentStore>(), Is.SameAs(host.Provider.GetRequiredService<InMemoryTotpStore>()));
        Assert.That(host.Provider.GetRequiredService<ISecretProtector>(), Is.InstanceOf<AesGcmSecretProtector>());
        Assert.That(host.Provider.GetRequiredService<ITwoFactorAdministration>(), Is.Not.SameAs(host.Provider.GetRequiredService<ITotpEnrollment>()), "administration is a job of its own");
    }

    [Test]
    public void Registration_HostProtectorRegisteredBeforeTheEngine_Wins()
    {
        var protector = new CountingProtector();
        var services = new ServiceCollection();
        services.AddSingleton<ISecretProtector>(protector);
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ISecretProtector>(), Is.SameAs(protector));
    }

    [Test]
    public async Task Registration_HostProtector_ProtectsAndReadsTheSecrets()
    {
        var protector = new CountingProtector();
        using var host = await ChallengeTestHost.CreateAsync(s => s.Replace(ServiceDescriptor.Singleton<ISecretProtector>(protector)), factors: FactorTypes.Totp);

        await host.EnrolAsync();

        Assert.That(protector.Protected, Is.EqualTo(1));
        Assert.That(protector.Unprotected, Is.EqualTo(1));
    }

    [Test]
    public async Task Registration_ProtectorKeyIsDerivedFromTheKeyMaterial()
    {
        using var first = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        using var sameKey = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        using var otherKey = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp, keyMaterial: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var blob = first.Provider.GetRequiredService<ISecretProtector>().Protect(new byte[20], [1]);

        Assert.That(sameKey.Provider.GetRequiredService<ISecretProtector>().TryUnprotect(blob, [1], out _), Is.True, "every node with the same material reads it");
        Assert.That(otherKey.Provider.GetRequiredService<ISecretProtector>().TryUnprotect(blob, [1], out _), Is.False);
    }

    private static void ReplaceTotpStores(IServiceCollection services, object store)
    {
        services.Replace(ServiceDescriptor.Singleton(typeof(ITotpEnrollmentStore), store));
        services.Replace(ServiceDescriptor.Singleton(typeof(IRecoveryCodeStore), store));
    }

    private sealed class CountingProtector : ISecretProtector
    {
        public int Protected { get; private set; }

        public int Unprotected { get; private set; }

        public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
        {
            Protected++;
            return [.. associatedData, .. plaintext];
        }

        public bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? plaintext)
        {
            Unprotected++;
            plaintext = protectedData.StartsWith(associatedData) ? protectedData[associatedData.Length..].ToArray() : null;
            return plaintext is not null;
        }
    }
}

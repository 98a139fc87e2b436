using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Diagnostics;
using Navixy.TwoFactor.Tests.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Challenges;

/// <summary>Logging in with an authenticator app and with recovery codes (policy.md T2; security.md items 12, 15, 16).</summary>
public class TotpLoginTests
{
    private const long Account = ChallengeTestHost.Account;

    // ---- window and replay ----------------------------------------------------------------------------------

    [TestCase(-2, ChallengeVerifyOutcome.WrongCode)]
    [TestCase(-1, ChallengeVerifyOutcome.Passed)]
    [TestCase(0, ChallengeVerifyOutcome.Passed)]
    [TestCase(1, ChallengeVerifyOutcome.Passed)]
    [TestCase(2, ChallengeVerifyOutcome.WrongCode)]
    public async Task Verify_CodeOfAStepAroundNow_PassesOnlyOneStepEitherSide(int steps, ChallengeVerifyOutcome expected)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(15));
        var token = await host.StartTokenAsync(FactorTypes.Totp);

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow(), steps));

        Assert.That(verified.Outcome, Is.EqualTo(expected));
    }

    [Test]
    [Description("C5: a copy of a right code on another challenge of the principal answers already used and counts as no attempt")]
    public async Task C5_Verify_SameCodeOnASecondChallenge_IsAlreadyUsedNotAFailureAndAuditedAsAReplay()
    {
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var code = app.CodeAt(host.Time.GetUtcNow());
        var first = await host.StartTokenAsync(FactorTypes.Totp);
        var second = await host.StartTokenAsync(FactorTypes.Totp);

        var passed = await host.Challenges.VerifyAsync(host.Tenant, first, code);
        sink.Clear();
        var replayed = await host.Challenges.VerifyAsync(host.Tenant, second, code);

        Assert.That(passed.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(replayed.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed));
        Assert.That(sink.Kinds, Is.EqualTo(new[] { TwoFactorAuditEventKind.TotpReplayRefused }), "no wrong code is counted");
        Assert.That(sink.Events.Select(e => e.Factor), Is.All.EqualTo(FactorTypes.Totp));
    }

    [Test]
    public async Task Verify_ConfirmationCodeAtLogin_IsAReplay()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var app = TestAuthenticatorFor(await host.Enrollment.BeginAsync(host.Tenant, Account, "Fleet", "driver"));
        var code = app.CodeAt(host.Time.GetUtcNow());
        await host.Enrollment.ConfirmAsync(host.Tenant, Account, code);
        var token = await host.StartTokenAsync(FactorTypes.Totp);

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "the confirming code's step is used");
    }

    [Test]
    public async Task Verify_OneCodeOnTwoChallengesConcurrently_ExactlyOnePassesEveryRound()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();

        for (var round = 0; round < 100; round++)
        {
            var a = await host.StartTokenAsync(FactorTypes.Totp);
            var b = await host.StartTokenAsync(FactorTypes.Totp);
            var code = app.CodeAt(host.Time.GetUtcNow());
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = new[] { a, b }.Select(token => Task.Run(async () =>
            {
                await gate.Task;
                return await host.Challenges.VerifyAsync(host.Tenant, token, code);
            })).ToArray();
            gate.SetResult();
            var outcomes = await Task.WhenAll(tasks);

            Assert.That(outcomes.Count(o => o.IsPassed), Is.EqualTo(1), $"round {round}");
            host.Time.Advance(ChallengeTestHost.Step);
        }
    }

    private static IEnumerable<TestCaseData> HostileCodes()
    {
        yield return new TestCaseData((Func<string, string?>)(_ => null)).SetArgDisplayNames("null");
        yield return new TestCaseData((Func<string, string?>)(_ => "")).SetArgDisplayNames("empty");
        yield return new TestCaseData((Func<string, string?>)(c => " " + c)).SetArgDisplayNames("space and the code");
        yield return new TestCaseData((Func<string, string?>)(c => c + "0")).SetArgDisplayNames("the code and a digit");
        yield return new TestCaseData((Func<string, string?>)(c => c[..5])).SetArgDisplayNames("five digits of the code");
        yield return new TestCaseData((Func<string, string?>)(c => string.Concat(c.Select(d => (char)(d - '0' + '０'))))).SetArgDisplayNames("the code in full-width digits");
        yield return new TestCaseData((Func<string, string?>)(c => string.Concat(c.Select(d => (char)(d - '0' + '٠'))))).SetArgDisplayNames("the code in Arabic-Indic digits");
        yield return new TestCaseData((Func<string, string?>)(_ => new string('1', 10 * 1024 * 1024))).SetArgDisplayNames("10 MB");
        yield return new TestCaseData((Func<string, string?>)(_ => new string('A', 20))).SetArgDisplayNames("shaped like a recovery code");
    }

    [TestCaseSource(nameof(HostileCodes))]
    public async Task Verify_HostileCodeOnAnAuthenticatorChallenge_IsAWrongCodeNeverPassedNeverThrown(Func<string, string?> hostile)
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        var code = app.CodeAt(host.Time.GetUtcNow());

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, hostile(code));

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, code)).IsPassed, Is.True, "the step was not spent");
    }

    // ---- secrets that cannot be read (security.md item 3) ---------------------------------------------------

    [Test]
    public async Task Verify_TamperedCiphertext_AnswersFailedCleanlyIsAuditedAndSpendsNothing()
    {
        var store = new SwitchableTotpStore();
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(store));
                services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(store));
                services.AddSingleton<ITwoFactorAuditSink>(sink);
            },
            factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        store.TamperActive = true;

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.TotpSecretUnreadable));
        Assert.That(host.Logs.Entries.Where(e => e.EventId.Id == 8).Select(e => e.Level), Is.EqualTo(new[] { Microsoft.Extensions.Logging.LogLevel.Error }));
        store.TamperActive = false;
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()))).IsPassed, Is.True);
    }

    [Test]
    public async Task Verify_AuthenticatorResetAfterTheStart_IsAWrongCode()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        await host.Administration.ResetAsync(host.Tenant, Account);

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
    }

    // ---- recovery codes (security.md item 16) ---------------------------------------------------------------

    [Test]
    public async Task RecoveryCode_OnAnEmailChallengeInAnyCaseWithSpaces_PassesOnceAndIsAudited()
    {
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), factors: FactorTypes.Email | FactorTypes.Totp);
        var (_, codes) = await host.EnrolAsync();
        var started = await host.Challenges.StartWithFactorAsync(host.Tenant, Account, FactorTypes.Email);
        sink.Clear();

        var verified = await host.Challenges.VerifyAsync(host.Tenant, started.Token, codes[2].ToLowerInvariant().Replace('-', ' '));

        Assert.That(verified.IsPassed, Is.True);
        Assert.That(sink.Kinds, Is.EqualTo(new[] { TwoFactorAuditEventKind.RecoveryCodeUsed, TwoFactorAuditEventKind.Passed }));
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, Account))?.RecoveryCodesLeft, Is.EqualTo(9));
    }

    [Test]
    public async Task RecoveryCode_WrongOnes_CountTowardTheSameLockoutAsWrongCodes()
    {
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), factors: FactorTypes.Totp);
        var (_, codes) = await host.EnrolAsync();

        var outcomes = new List<ChallengeVerifyResult>();
        for (var challenge = 0; challenge < 2; challenge++)
        {
            var token = await host.StartTokenAsync(FactorTypes.Totp);
            for (var i = 0; i < 5; i++)
            {
                outcomes.Add(await host.Challenges.VerifyAsync(host.Tenant, token, RecoveryCodes.Create(1).Display));
            }
        }

        var start = await host.Challenges.StartAsync(host.Tenant, Account);

        Assert.That(outcomes.Take(9).Select(o => o.Outcome), Is.All.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(outcomes.Take(5).Select(o => o.AttemptsLeft), Is.EqualTo(new[] { 4, 3, 2, 1, 0 }));
        Assert.That(outcomes[9].Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
        Assert.That(start.Outcome, Is.EqualTo(ChallengeStartOutcome.PrincipalLocked));
        Assert.That(sink.Kinds.Count(k => k == TwoFactorAuditEventKind.RecoveryCodeRejected), Is.EqualTo(10));
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, Account))?.RecoveryCodesLeft, Is.EqualTo(codes.Count));
    }

    [Test]
    public async Task RecoveryCode_OnALockedOrExpiredChallenge_IsRefusedAndNotSpent()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (app, codes) = await host.EnrolAsync();
        var locked = await host.StartTokenAsync(FactorTypes.Totp);
        var wrong = app.WrongCodeAt(host.Time.GetUtcNow());
        for (var i = 0; i < 5; i++)
        {
            await host.Challenges.VerifyAsync(host.Tenant, locked, wrong);
        }

        var expiring = await host.StartTokenAsync(FactorTypes.Totp);
        var onLocked = await host.Challenges.VerifyAsync(host.Tenant, locked, codes[0]);
        host.Time.Advance(TimeSpan.FromMinutes(15));
        var onExpired = await host.Challenges.VerifyAsync(host.Tenant, expiring, codes[0]);

        Assert.That(onLocked.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Locked));
        Assert.That(onExpired.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Expired));
        Assert.That((await host.Enrollment.GetStatusAsync(host.Tenant, Account))?.RecoveryCodesLeft, Is.EqualTo(10));
        var fresh = await host.StartTokenAsync(FactorTypes.Totp);
        Assert.That((await host.Challenges.VerifyAsync(host.Tenant, fresh, codes[0])).IsPassed, Is.True);
    }

    [Test]
    public async Task RecoveryCodes_AtRest_AreSaltedSlowHashesWithALookupIdOnly()
    {
        using var host = await ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp);
        var (_, codes) = await host.EnrolAsync();
        var store = host.Provider.GetRequiredService<IRecoveryCodeStore>();
        var normalized = RecoveryCodes.Normalize(codes[0])!;

        var stored = await store.FindUnusedAsync(host.Tenant, Account, RecoveryCodes.LookupIdOf(normalized), CancellationToken.None);

        Assert.That(codes, Has.All.Match("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$"), "20 characters of 32 letters: 100 bits, 80 of them secret");
        Assert.That(stored, Has.Count.EqualTo(1));
        Assert.That(stored[0].Iterations, Is.EqualTo(TotpOptions.MinRecoveryCodeIterations), "the configured PBKDF2 cost");
        Assert.That(stored[0].Salt, Has.Length.EqualTo(16));
        Assert.That(stored[0].Hash, Has.Length.EqualTo(32));
        Assert.That(stored[0].Hash, Is.Not.EqualTo(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(normalized[4..]))));
        Assert.That(RecoveryCodes.Matches(normalized, stored[0]), Is.True);
    }

    private static Specification.TestAuthenticator TestAuthenticatorFor(TotpEnrollmentBeginResult begun) => Specification.TestAuthenticator.From(begun);
}

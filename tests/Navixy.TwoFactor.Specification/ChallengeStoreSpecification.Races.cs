using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// One set of second-step rules on every path (policy.md C4, C5, C9, T4; security.md items 29–34): concurrent copies of a
/// right code pass exactly once for every factor, on one challenge and on several, on two engines over one store; a locked
/// principal is refused before anything is evaluated on every path; a burst of starts stays bounded.
/// </summary>
/// <remarks>
/// The races run <see cref="CopyRaceRepetitions"/> rounds. Set the environment variable <c>NAVIXY_LONG_RACES=1</c> and
/// select the category <c>LongRace</c> for the long run (<see cref="LongCopyRaceRepetitions"/> rounds per race).
/// </remarks>
public abstract partial class ChallengeStoreSpecification
{
    /// <summary>The name of the category whose tests run long when <c>NAVIXY_LONG_RACES=1</c>.</summary>
    public const string LongRace = "LongRace";

    /// <summary>Rounds of each copy race in the default run.</summary>
    protected virtual int CopyRaceRepetitions => 50;

    /// <summary>Rounds of each copy race in the long run (security.md item 30: 10,000 in memory, 1,000 on a database).</summary>
    protected virtual int LongCopyRaceRepetitions => 10_000;

    private int Rounds => Environment.GetEnvironmentVariable("NAVIXY_LONG_RACES") == "1" ? LongCopyRaceRepetitions : CopyRaceRepetitions;

    [Test]
    [Category(LongRace)]
    [Description("C5 (security.md 30): 16–32 concurrent copies of a right authenticator code on one challenge, two engines: exactly one passes, the rest answer already used")]
    public async Task C5_AuthenticatorCodeCopies_OneChallengeTwoEngines_ExactlyOnePassesNoFailure()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        for (var round = 0; round < Rounds; round++)
        {
            var token = await race.StartAsync(round);
            var code = race.App.CodeAt(race.Time.GetUtcNow());
            var copies = 16 + (round % 17);

            var outcomes = await RaceAsync(copies, i => race.Engine(i).Challenges.VerifyAsync(race.Tenant, token, code).AsTask());

            AssertExactlyOnePass(outcomes, round);
            race.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await race.AssertNoFailureCountedAsync();
    }

    [Test]
    [Category(LongRace)]
    [Description("C5 (security.md 30): copies of a right authenticator code spread over several open challenges of the principal: exactly one passes")]
    public async Task C5_AuthenticatorCodeCopies_SeveralChallenges_ExactlyOnePassesNoFailure()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        for (var round = 0; round < Rounds; round++)
        {
            var tokens = new[] { await race.StartAsync(round), await race.StartAsync(round + 1), await race.StartAsync(round + 2) };
            var code = race.App.CodeAt(race.Time.GetUtcNow());

            var outcomes = await RaceAsync(24, i => race.Engine(i).Challenges.VerifyAsync(race.Tenant, tokens[i % tokens.Length], code).AsTask());

            AssertExactlyOnePass(outcomes, round);
            race.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await race.AssertNoFailureCountedAsync();
    }

    [Test]
    [Category(LongRace)]
    [Description("C5 (security.md 30): after four typos, a right authenticator code sent several times at once still passes once")]
    public async Task C5_AuthenticatorCodeCopies_AfterFourTypos_StillPassOnce()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        for (var round = 0; round < Rounds; round++)
        {
            var token = await race.StartAsync(round);
            var now = race.Time.GetUtcNow();
            for (var typo = 0; typo < 4; typo++)
            {
                var wrong = await race.Engine(typo).Challenges.VerifyAsync(race.Tenant, token, race.App.WrongCodeAt(now));
                Assert.That(wrong.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"round {round}, typo {typo}");
            }

            var copies = 2 + (round % 15);
            var outcomes = await RaceAsync(copies, i => race.Engine(i).Challenges.VerifyAsync(race.Tenant, token, race.App.CodeAt(now)).AsTask());

            AssertExactlyOnePass(outcomes, round);
            race.Time.Advance(TimeSpan.FromSeconds(30));
        }
    }

    [Test]
    [Category(LongRace)]
    [Description("C5 (security.md 30): after four typos, 16 copies of a right email code: exactly one passes, the rest answer already used")]
    public async Task C5_EmailCodeCopies_AfterFourTypos_StillPassOnce()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time);
        using var second = CreateEngine(time);
        var tenant = NewTenant();
        await AddEmailAccountAsync(first, tenant, 7);
        for (var round = 0; round < Rounds; round++)
        {
            var (token, code) = await StartAsync(first, tenant, 7);
            for (var typo = 0; typo < 4; typo++)
            {
                Assert.That((await second.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
            }

            var outcomes = await RaceAsync(16, i => (i % 2 == 0 ? first : second).Challenges.VerifyAsync(tenant, token, code).AsTask());

            AssertExactlyOnePass(outcomes, round);
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Test]
    [Category(LongRace)]
    [Description("C5 (security.md 16, 30): copies of one recovery code on one challenge and on several: exactly one passes; the code is spent once")]
    public async Task C5_RecoveryCodeCopies_ExactlyOnePassesAndTheCodeIsSpentOnce()
    {
        var rounds = Math.Min(Rounds, 200);
        AuthenticatorRace? race = null;
        IReadOnlyList<string> codes = [];
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                if (round % 8 == 0)
                {
                    // Each enrolment gives ten codes; a fresh principal every eight rounds.
                    race?.Dispose();
                    race = await AuthenticatorRace.CreateAsync(this);
                    codes = race.RecoveryCodes;
                }

                var tokens = round % 2 == 0
                    ? new[] { await race!.StartAsync(round) }
                    : new[] { await race!.StartAsync(round), await race.StartAsync(round + 1) };
                var code = codes[round % 8];

                var outcomes = await RaceAsync(16, i => race.Engine(i).Challenges.VerifyAsync(race.Tenant, tokens[i % tokens.Length], code).AsTask());

                AssertExactlyOnePass(outcomes, round);
            }
        }
        finally
        {
            race?.Dispose();
        }
    }

    [Test]
    [Description("C4 (security.md 29): a locked principal is refused with the lockout's end on every code-checking path, even with the right code, and nothing is spent")]
    public async Task C4_LockedPrincipal_EveryPathRefusesTheRightCodeWithItsEnd()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        var engine = race.Engine(0);
        var emailToken = await race.StartAsync(0, FactorTypes.Email);
        var emailCode = race.Sender.LastCode(race.Tenant, race.Principal);
        var totpToken = await race.StartAsync(1);
        var pendingApp = TestAuthenticator.From(await race.BeginPendingReplacementAsync());
        var until = await race.LockAsync();

        var now = race.Time.GetUtcNow();
        var email = await engine.Challenges.VerifyAsync(race.Tenant, emailToken, emailCode);
        var totp = await engine.Challenges.VerifyAsync(race.Tenant, totpToken, race.App.CodeAt(now));
        var recovery = await engine.Challenges.VerifyAsync(race.Tenant, totpToken, race.RecoveryCodes[0]);
        var confirm = await engine.Enrollment.ConfirmAsync(race.Tenant, race.Principal, pendingApp.CodeAt(now));
        var start = await engine.Challenges.StartWithFactorAsync(race.Tenant, race.Principal, FactorTypes.Totp);

        foreach (var (what, outcome, lockedUntil) in new[]
        {
            ("email verify", email.Outcome.ToString(), email.LockedUntil),
            ("authenticator verify", totp.Outcome.ToString(), totp.LockedUntil),
            ("recovery code", recovery.Outcome.ToString(), recovery.LockedUntil),
            ("enrolment confirmation", confirm.Outcome.ToString(), confirm.LockedUntil),
            ("start", start.Outcome.ToString(), start.LockedUntil),
        })
        {
            Assert.That(outcome, Is.EqualTo("PrincipalLocked"), what);
            Assert.That(lockedUntil, Is.EqualTo(until), what);
        }

        Assert.That(await race.Admin.UnlockAsync(race.Tenant, race.Principal), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));
        var later = await engine.Challenges.VerifyAsync(race.Tenant, await race.StartAsync(2), race.RecoveryCodes[0]);
        Assert.That(later.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "the recovery code refused during the lockout was not spent");
    }

    [Test]
    [Description("T4 (security.md 33): a pending enrolment refuses its sixth confirmation code even if right, and its wrong codes count toward the lockout")]
    public async Task T4_PendingEnrolment_SixthConfirmationRefusedAndWrongCodesCountTowardTheLockout()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        var engine = race.Engine(0);
        var pending = TestAuthenticator.From(await race.BeginPendingReplacementAsync());
        var now = race.Time.GetUtcNow();
        var wrong = new List<TotpEnrollmentOutcome>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await engine.Enrollment.ConfirmAsync(race.Tenant, race.Principal, pending.WrongCodeAt(now))).Outcome);
        }

        var sixth = await engine.Enrollment.ConfirmAsync(race.Tenant, race.Principal, pending.CodeAt(now));

        Assert.That(wrong, Is.All.EqualTo(TotpEnrollmentOutcome.WrongCode));
        Assert.That(sixth.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Locked), "the sixth code is refused even though it is right");

        // Five more wrong login codes reach the threshold of ten: the confirmations counted.
        var token = await race.StartAsync(9);
        ChallengeVerifyResult last = default;
        for (var i = 0; i < 5; i++)
        {
            last = await engine.Challenges.VerifyAsync(race.Tenant, token, race.App.WrongCodeAt(now));
        }

        Assert.That(last.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
    }

    [Test]
    [Description("C9 (security.md 34): a burst of email starts with the clock standing still sends one message; authenticator starts keep at most five challenges open")]
    public async Task C9_BurstOfStarts_SendsOneMessageAndKeepsAtMostFiveOpen()
    {
        using var race = await AuthenticatorRace.CreateAsync(this);
        var burst = Math.Max(200, Math.Min(Rounds, 10_000));

        var email = await RaceAsync(burst, i => race.Engine(i).Challenges.StartWithFactorAsync(race.Tenant, race.Principal, FactorTypes.Email).AsTask());
        var totp = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            totp.Add(await race.StartAsync(i));
        }

        Assert.That(email.Count(s => s.Outcome == ChallengeStartOutcome.Started), Is.EqualTo(1));
        Assert.That(email.Where(s => s.Outcome != ChallengeStartOutcome.Started).Select(s => s.Outcome), Is.All.EqualTo(ChallengeStartOutcome.TooSoon));
        Assert.That(race.MessagesSent, Is.EqualTo(1), "one message, whichever engine sent it");
        var alive = 0;
        foreach (var token in totp)
        {
            var verified = await race.Engine(0).Challenges.VerifyAsync(race.Tenant, token, "000000");
            alive += verified.Outcome == ChallengeVerifyOutcome.UnknownToken ? 0 : 1;
        }

        Assert.That(alive, Is.EqualTo(5), "the newest five are open; older ones were revoked");
    }

    private static void AssertExactlyOnePass(ChallengeVerifyResult[] outcomes, int round)
    {
        if (round == 0 || (round + 1) % 1_000 == 0)
        {
            // The long run's figures (docs/security.md, item 30) come from these lines.
            TestContext.Out.WriteLine($"race round {round + 1}: {outcomes.Length} copies, one passed");
        }

        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}: exactly one passes");
        Assert.That(outcomes.Where(o => o.Outcome != ChallengeVerifyOutcome.Passed).Select(o => o.Outcome), Is.All.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), $"round {round}: the rest are already used");
    }

    /// <summary>Two engines over one store, a principal allowed email and authenticator codes, enrolled with an app.</summary>
    private sealed class AuthenticatorRace : IDisposable
    {
        private readonly Engine _first;
        private readonly Engine _second;

        private AuthenticatorRace(Engine first, Engine second, TenantId tenant, TestAuthenticator app, IReadOnlyList<string> recoveryCodes)
        {
            _first = first;
            _second = second;
            Tenant = tenant;
            App = app;
            RecoveryCodes = recoveryCodes;
        }

        public TenantId Tenant { get; }

        public long Principal { get; } = 7;

        public TestAuthenticator App { get; private set; }

        public IReadOnlyList<string> RecoveryCodes { get; }

        public FakeTimeProvider Time => _first.Time;

        public RecordingEmailSender Sender => _first.Sender;

        public int MessagesSent => _first.Sender.CountFor(Tenant, Principal) + _second.Sender.CountFor(Tenant, Principal);

        public ITwoFactorAdministration Admin => _first.Provider.GetRequiredService<ITwoFactorAdministration>();

        public static async Task<AuthenticatorRace> CreateAsync(ChallengeStoreSpecification suite)
        {
            var time = new FakeTimeProvider(Epoch);
            var first = suite.CreateEngine(time);
            var second = suite.CreateEngine(time);
            var tenant = NewTenant();
            Assert.That((await first.Directory.RegisterAccountAsync(tenant, 7)).Succeeded, Is.True);

            // Enrol while no second step is required (no step-up needed), then require email or the authenticator.
            var enrollment = first.Provider.GetRequiredService<ITotpEnrollment>();
            var begun = await enrollment.BeginAsync(tenant, 7, "Fleet", "driver");
            Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
            var app = TestAuthenticator.From(begun);
            var confirmed = await enrollment.ConfirmAsync(tenant, 7, app.CodeAt(time.GetUtcNow()));
            Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
            var updated = await first.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp));
            Assert.That(updated.Succeeded, Is.True);
            time.Advance(TimeSpan.FromSeconds(30));
            return new AuthenticatorRace(first, second, tenant, app, confirmed.RecoveryCodes);
        }

        public Engine Engine(int i) => i % 2 == 0 ? _first : _second;

        public async Task<string> StartAsync(int i, FactorTypes factor = FactorTypes.Totp)
        {
            var started = await Engine(i).Challenges.StartWithFactorAsync(Tenant, Principal, factor);
            Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
            return started.Token!;
        }

        /// <summary>Begins replacing the authenticator behind a step-up passed with the current app; answers the pending app.</summary>
        public async Task<TotpEnrollmentBeginResult> BeginPendingReplacementAsync()
        {
            var token = await StartAsync(0);
            Assert.That((await _first.Challenges.VerifyAsync(Tenant, token, App.CodeAt(Time.GetUtcNow()))).IsPassed, Is.True);
            var begun = await _first.Provider.GetRequiredService<ITotpEnrollment>().BeginAsync(Tenant, Principal, "Fleet", "driver", token);
            Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
            return begun;
        }

        /// <summary>Ten wrong authenticator codes over two challenges lock the principal; answers the lockout's end.</summary>
        public async Task<DateTimeOffset> LockAsync()
        {
            ChallengeVerifyResult last = default;
            for (var challenge = 0; challenge < 2; challenge++)
            {
                var token = await StartAsync(challenge);
                for (var i = 0; i < 5; i++)
                {
                    last = await _first.Challenges.VerifyAsync(Tenant, token, App.WrongCodeAt(Time.GetUtcNow()));
                }
            }

            Assert.That(last.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
            return last.LockedUntil!.Value;
        }

        /// <summary>Nine wrong codes after the races lock nothing, the tenth does: no copy was counted as a failure.</summary>
        public async Task AssertNoFailureCountedAsync()
        {
            Time.Advance(TimeSpan.FromSeconds(30));
            ChallengeVerifyResult last = default;
            for (var i = 0; i < 9; i++)
            {
                var token = i % 5 == 0 ? await StartAsync(i) : null;
                last = await _first.Challenges.VerifyAsync(Tenant, token ?? _lastToken!, App.WrongCodeAt(Time.GetUtcNow()));
                _lastToken = token ?? _lastToken;
            }

            Assert.That(last.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), "nine failures after the races: not locked");
        }

        private string? _lastToken;

        public void Dispose()
        {
            _first.Dispose();
            _second.Dispose();
        }
    }
}

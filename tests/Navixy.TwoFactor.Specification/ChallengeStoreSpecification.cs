using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The challenge store contract (policy.md C2–C6, security.md items 13, 14, 17–19, 21–24), exercised through the
/// public <see cref="ITwoFactorChallenges"/> service so that every store gives the same answers.
/// </summary>
/// <remarks>
/// Two providers built by <see cref="StoreSpecification.CreateProvider"/> must share one challenge store (for a
/// database: two nodes over one database; for the in-memory store: one instance per fixture). Every engine is
/// configured with the same <see cref="TwoFactorOptions.KeyMaterial"/>.
/// </remarks>
public abstract partial class ChallengeStoreSpecification : StoreSpecification
{
    /// <summary>Key material every engine of the suite shares (32 bytes, base64).</summary>
    protected static readonly string SharedKeyMaterial = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How many times each race is repeated (security.md item 14 asks for at least 100).</summary>
    protected virtual int RaceRepetitions => 100;

    // ---- start ----------------------------------------------------------------------------------------------

    [Test]
    public async Task Start_PrincipalRequiringEmail_AnswersTokenAndSendsCode()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        var started = await engine.Challenges.StartAsync(tenant, principal);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        Assert.That(started.Factor, Is.EqualTo(FactorTypes.Email));
        Assert.That(DecodeBase64Url(started.Token!), Has.Length.GreaterThanOrEqualTo(16), "at least 128 random bits");
        Assert.That(started.ExpiresAt, Is.EqualTo(Epoch + TimeSpan.FromMinutes(5)));
        Assert.That(started.ResendAvailableAt, Is.EqualTo(Epoch + TimeSpan.FromMinutes(1)));
        Assert.That(started.ChallengeExpiresAt, Is.EqualTo(Epoch + TimeSpan.FromMinutes(15)));
        var message = engine.Sender.Messages.Single();
        Assert.That(message.Tenant, Is.EqualTo(tenant));
        Assert.That(message.PrincipalId, Is.EqualTo(principal));
        Assert.That(message.Code, Does.Match("^[0-9]{6}$"));
        Assert.That(message.ExpiresAt, Is.EqualTo(started.ExpiresAt));
        Assert.That(message.SendNumber, Is.EqualTo(1));
    }

    [Test]
    public async Task Start_TwoChallenges_HaveDifferentTokens()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        var first = await engine.Challenges.StartAsync(tenant, principal);
        var second = await engine.Challenges.StartAsync(tenant, principal);

        Assert.That(first.Token, Is.Not.EqualTo(second.Token));
    }

    [Test]
    public async Task Start_AccountWithSecondStepDisallowed_IsNotRequiredAndSendsNothing()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await engine.Directory.RegisterAccountAsync(tenant, 7);

        var started = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.NotRequired));
        Assert.That(started.Reason, Is.EqualTo(NotRequiredReason.SettingDisallowed));
        Assert.That(started.Token, Is.Null);
        Assert.That(engine.Sender.Messages, Is.Empty);
    }

    [Test]
    public async Task Start_DemoAccountWithEmailAllowed_IsNotRequired()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddEmailAccountAsync(engine, tenant, 7, isDemo: true);

        var started = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.NotRequired));
        Assert.That(started.Reason, Is.EqualTo(NotRequiredReason.DemoAccount));
        Assert.That(engine.Sender.Messages, Is.Empty);
    }

    [Test]
    public async Task Start_SubUserOfEmailAccount_IsChallengedAndPassesAsTheSubUser()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddEmailAccountAsync(engine, tenant, 7);
        await engine.Directory.RegisterSubUserAsync(tenant, 8, 7);

        var (token, code) = await StartAsync(engine, tenant, 8);
        var verified = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(verified.PrincipalId, Is.EqualTo(8));
    }

    [Test]
    public async Task Start_UnknownPrincipal_AnswersUnknownPrincipal()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();

        var started = await engine.Challenges.StartAsync(tenant, 404);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.UnknownPrincipal));
        Assert.That(engine.Sender.Messages, Is.Empty);
    }

    [Test]
    public async Task Start_SenderFails_AnswersDeliveryFailedWithoutToken()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        engine.Sender.Fail = true;

        var started = await engine.Challenges.StartAsync(tenant, principal);

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.DeliveryFailed));
        Assert.That(started.Token, Is.Null);
        engine.Sender.Fail = false;
        Assert.That((await engine.Challenges.StartAsync(tenant, principal)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "a failed delivery locks nothing");
    }

    // ---- verify ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Verify_RightCode_PassesForThePrincipal()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        var verified = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(verified.IsPassed, Is.True);
        Assert.That(verified.PrincipalId, Is.EqualTo(principal));
    }

    [Test]
    public async Task Verify_SameCodeTwice_SecondIsAlreadyUsed()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        await engine.Challenges.VerifyAsync(tenant, token, code);
        var second = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(second.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed));
    }

    [Test]
    public async Task Verify_At4Minutes59Seconds_IsAccepted()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromSeconds(299));
        var verified = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task Verify_At5Minutes_IsExpiredWithoutAnyCleanup()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromMinutes(5));
        var verified = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Expired));
    }

    [Test]
    public async Task Verify_WrongCodes_AnswerAttemptsLeftDownToZero()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        var left = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var verified = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
            Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
            left.Add(verified.AttemptsLeft);
        }

        Assert.That(left, Is.EqualTo(new[] { 4, 3, 2, 1, 0 }));
    }

    [Test]
    public async Task Verify_AfterFiveWrongCodes_RightCodeIsLocked()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);
        for (var i = 0; i < 5; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
        }

        var sixth = await engine.Challenges.VerifyAsync(tenant, token, code);

        Assert.That(sixth.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Locked));
        Assert.That((await engine.Challenges.ResendAsync(tenant, token)).Outcome, Is.EqualTo(ChallengeResendOutcome.Locked), "a resend does not refill attempts");
    }

    [Test]
    public async Task Verify_WellFormedTokenNeverIssued_IsUnknownToken()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await AddEmailAccountAsync(engine, tenant, 7);

        var verified = await engine.Challenges.VerifyAsync(tenant, new string('A', 43), "123456");

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
    }

    [Test]
    public async Task Verify_FiftyConcurrentRightCodes_ExactlyOnePasses()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var (token, code) = await StartAsync(engine, tenant, principal);

            var outcomes = await RaceAsync(50, _ => engine.Challenges.VerifyAsync(tenant, token, code).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.AlreadyUsed), Is.EqualTo(49), $"round {round}");
        }
    }

    [Test]
    public async Task Verify_FiftyConcurrentRightCodesOnTwoEngines_ExactlyOnePasses()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time);
        using var second = CreateEngine(time);
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(first, tenant, 7);

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var (token, code) = await StartAsync(first, tenant, principal);

            var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? first : second).Challenges.VerifyAsync(tenant, token, code).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public async Task Verify_FiftyConcurrentWrongGuesses_AtMostFiveAreEvaluated()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);

        var outcomes = await RaceAsync(50, _ => engine.Challenges.VerifyAsync(tenant, token, WrongCode(code)).AsTask());

        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.WrongCode), Is.EqualTo(5));
        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Locked), Is.EqualTo(45));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Locked));

        // Exactly five failures reached the principal's count: the lockout comes at the fifth wrong code of the next challenge.
        var (next, nextCode) = await StartAsync(engine, tenant, principal);
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await engine.Challenges.VerifyAsync(tenant, next, WrongCode(nextCode))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        }

        Assert.That((await engine.Challenges.VerifyAsync(tenant, next, WrongCode(nextCode))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
    }

    [Test]
    public async Task Verify_CodeOfPrincipalA_NeverVerifiesChallengeOfPrincipalB()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var a = await AddEmailAccountAsync(engine, tenant, 7);
        var b = await AddEmailAccountAsync(engine, tenant, 8);
        var (tokenA, codeA) = await StartAsync(engine, tenant, a);
        var (tokenB, codeB) = await StartAsync(engine, tenant, b);
        Assume.That(codeA, Is.Not.EqualTo(codeB), "one chance in a million that both codes are the same");

        var crossed = await engine.Challenges.VerifyAsync(tenant, tokenB, codeA);
        var passedA = await engine.Challenges.VerifyAsync(tenant, tokenA, codeA);
        var passedB = await engine.Challenges.VerifyAsync(tenant, tokenB, codeB);

        Assert.That(crossed.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(passedA.PrincipalId, Is.EqualTo(a));
        Assert.That(passedB.PrincipalId, Is.EqualTo(b));
    }

    [Test]
    public async Task Verify_TokenUsedInAnotherTenantWithSameUserId_IsUnknownAndSpendsNothing()
    {
        using var engine = CreateEngine();
        var tenantA = NewTenant();
        var tenantB = NewTenant();
        await AddEmailAccountAsync(engine, tenantA, 7);
        await AddEmailAccountAsync(engine, tenantB, 7);
        var (tokenA, codeA) = await StartAsync(engine, tenantA, 7);
        var (tokenB, _) = await StartAsync(engine, tenantB, 7);

        var crossed = await engine.Challenges.VerifyAsync(tenantB, tokenA, codeA);
        var resent = await engine.Challenges.ResendAsync(tenantB, tokenA);
        var passedA = await engine.Challenges.VerifyAsync(tenantA, tokenA, codeA);
        var crossedB = await engine.Challenges.VerifyAsync(tenantA, tokenB, codeA);

        Assert.That(crossed.Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.UnknownToken));
        Assert.That(passedA.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(crossedB.Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
    }

    // ---- resend ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Resend_At59Seconds_IsTooSoonWaitOneSecond()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, _) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromSeconds(59));
        var resent = await engine.Challenges.ResendAsync(tenant, token);

        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.TooSoon));
        Assert.That(resent.Wait, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(engine.Sender.CountFor(tenant, principal), Is.EqualTo(1));
    }

    [Test]
    public async Task Resend_At1Minute_SendsNewCodeAndOldCodeStopsWorking()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, oldCode) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var resent = await engine.Challenges.ResendAsync(tenant, token);
        var newCode = engine.Sender.LastCode(tenant, principal);
        Assume.That(newCode, Is.Not.EqualTo(oldCode), "one chance in a million that the new code is the old one");

        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.Sent));
        Assert.That(resent.ExpiresAt, Is.EqualTo(engine.Time.GetUtcNow() + TimeSpan.FromMinutes(5)));
        Assert.That(resent.NextResendAt, Is.EqualTo(engine.Time.GetUtcNow() + TimeSpan.FromMinutes(1)));
        Assert.That(engine.Sender.Messages[^1].SendNumber, Is.EqualTo(2));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, oldCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, newCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task Resend_RenewsAnExpiredCodeWithinTheChallenge()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, _) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromMinutes(6));
        await engine.Challenges.ResendAsync(tenant, token);
        var verified = await engine.Challenges.VerifyAsync(tenant, token, engine.Sender.LastCode(tenant, principal));

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task Resend_NeverResetsTheAttemptCount()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);
        for (var i = 0; i < 3; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
        }

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        await engine.Challenges.ResendAsync(tenant, token);
        var newCode = engine.Sender.LastCode(tenant, principal);
        var fourth = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(newCode));
        var fifth = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(newCode));
        var right = await engine.Challenges.VerifyAsync(tenant, token, newCode);

        Assert.That(fourth.AttemptsLeft, Is.EqualTo(1));
        Assert.That(fifth.AttemptsLeft, Is.EqualTo(0));
        Assert.That(right.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Locked));
    }

    [Test]
    public async Task Resend_AtMostFiveSendsPerChallenge()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, _) = await StartAsync(engine, tenant, principal);

        var outcomes = new List<ChallengeResendResult>();
        for (var i = 0; i < 5; i++)
        {
            engine.Time.Advance(TimeSpan.FromMinutes(1));
            outcomes.Add(await engine.Challenges.ResendAsync(tenant, token));
        }

        Assert.That(outcomes.Take(4).Select(o => o.Outcome), Is.All.EqualTo(ChallengeResendOutcome.Sent));
        Assert.That(outcomes.Take(4).Select(o => o.SendsLeft), Is.EqualTo(new[] { 3, 2, 1, 0 }));
        Assert.That(outcomes[4].Outcome, Is.EqualTo(ChallengeResendOutcome.LimitReached));
        Assert.That(engine.Sender.CountFor(tenant, principal), Is.EqualTo(5));
    }

    [Test]
    public async Task Resend_CodeNeverOutlivesTheFifteenMinuteChallenge()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, _) = await StartAsync(engine, tenant, principal);

        engine.Time.Advance(TimeSpan.FromMinutes(12));
        var resent = await engine.Challenges.ResendAsync(tenant, token);
        var code = engine.Sender.LastCode(tenant, principal);
        engine.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.That(resent.ExpiresAt, Is.EqualTo(Epoch + TimeSpan.FromMinutes(15)));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Expired));
        Assert.That((await engine.Challenges.ResendAsync(tenant, token)).Outcome, Is.EqualTo(ChallengeResendOutcome.Expired));
    }

    [Test]
    public async Task Resend_AfterPass_IsAlreadyUsed()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);
        await engine.Challenges.VerifyAsync(tenant, token, code);

        engine.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.That((await engine.Challenges.ResendAsync(tenant, token)).Outcome, Is.EqualTo(ChallengeResendOutcome.AlreadyUsed));
    }

    [Test]
    public async Task Resend_SenderFails_WithdrawsTheChallenge()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, oldCode) = await StartAsync(engine, tenant, principal);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        engine.Sender.Fail = true;

        var resent = await engine.Challenges.ResendAsync(tenant, token);
        var undelivered = engine.Sender.LastCode(tenant, principal);

        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.DeliveryFailed));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, undelivered)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, oldCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
    }

    // ---- per-principal lockout ------------------------------------------------------------------------------

    [Test]
    public async Task Lockout_TenConsecutiveFailuresAcrossChallenges_LocksPrincipalFifteenMinutes()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        await FailAsync(engine, tenant, principal, 5);
        var (token, code) = await StartAsync(engine, tenant, principal);
        for (var i = 0; i < 4; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
        }

        var tenth = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
        var start = await engine.Challenges.StartAsync(tenant, principal);

        var until = engine.Time.GetUtcNow() + TimeSpan.FromMinutes(15);
        Assert.That(tenth.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
        Assert.That(tenth.LockedUntil, Is.EqualTo(until));
        Assert.That(start.Outcome, Is.EqualTo(ChallengeStartOutcome.PrincipalLocked));
        Assert.That(start.LockedUntil, Is.EqualTo(until));
        engine.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.That((await engine.Challenges.StartAsync(tenant, principal)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
    }

    [Test]
    [Description("C4 IPrincipalLockoutReader answers a principal's failures and lockout as the rules keep them, changes nothing, and knows nothing of the same id in another tenant.")]
    public async Task C4_LockoutReader_AnswersThePrincipalsState_WithoutChangingIt()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        await AddEmailAccountAsync(engine, other, 7);
        Assert.That(engine.Store, Is.InstanceOf<IPrincipalLockoutReader>(), "every store of this suite reads the lockout");
        var reader = (IPrincipalLockoutReader)engine.Store;

        var fresh = await reader.GetPrincipalStateAsync(tenant, principal, CancellationToken.None);
        await FailAsync(engine, tenant, principal, 2);
        var failing = await reader.GetPrincipalStateAsync(tenant, principal, CancellationToken.None);
        var until = await FailUntilLockedAsync(engine, tenant, principal);
        var locked = await reader.GetPrincipalStateAsync(tenant, principal, CancellationToken.None);
        var again = await reader.GetPrincipalStateAsync(tenant, principal, CancellationToken.None);
        var otherTenant = await reader.GetPrincipalStateAsync(other, principal, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((fresh.Failures, fresh.LockedUntil), Is.EqualTo((0, (DateTimeOffset?)null)));
            Assert.That((failing.Failures, failing.LockedUntil, failing.IsLockedAt(engine.Time.GetUtcNow())), Is.EqualTo((2, (DateTimeOffset?)null, false)));
            Assert.That((locked.LockedUntil, locked.IsLockedAt(engine.Time.GetUtcNow())), Is.EqualTo(((DateTimeOffset?)until, true)));
            Assert.That(again, Is.EqualTo(locked), "a read changes nothing");
            Assert.That((otherTenant.Failures, otherTenant.LockedUntil), Is.EqualTo((0, (DateTimeOffset?)null)));
            Assert.That(locked.IsLockedAt(until), Is.False, "the lockout ends at its end");
        });
    }

    [Test]
    public async Task Lockout_LockedPrincipal_RightCodeOfAnOpenChallengeIsRefused()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (open, openCode) = await StartAsync(engine, tenant, principal);
        await FailAsync(engine, tenant, principal, 10);

        var verified = await engine.Challenges.VerifyAsync(tenant, open, openCode);
        var resent = await engine.Challenges.ResendAsync(tenant, open);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.PrincipalLocked));
    }

    [Test]
    public async Task Lockout_FailureCountSurvivesResendAndNewChallenge()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var (token, code) = await StartAsync(engine, tenant, principal);
        for (var i = 0; i < 3; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
        }

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        await engine.Challenges.ResendAsync(tenant, token);
        var newCode = engine.Sender.LastCode(tenant, principal);
        for (var i = 0; i < 2; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, token, WrongCode(newCode));
        }

        await FailAsync(engine, tenant, principal, 4);
        var (last, lastCode) = await StartAsync(engine, tenant, principal);
        var tenth = await engine.Challenges.VerifyAsync(tenant, last, WrongCode(lastCode));

        Assert.That(tenth.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked));
    }

    [Test]
    public async Task Lockout_RepeatedLockouts_DoubleTheDuration()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        var durations = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var until = await FailUntilLockedAsync(engine, tenant, principal);
            durations.Add(until - engine.Time.GetUtcNow());
            engine.Time.Advance(until - engine.Time.GetUtcNow());
        }

        Assert.That(durations, Is.EqualTo(new[] { TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60) }));
    }

    [Test]
    public async Task Lockout_Success_ResetsTheCount()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        await FailAsync(engine, tenant, principal, 9);
        var (token, code) = await StartAsync(engine, tenant, principal);
        Assert.That((await engine.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));

        await FailAsync(engine, tenant, principal, 9);
        engine.Time.Advance(TimeSpan.FromMinutes(1)); // C9: past the send cooldown of the last start

        Assert.That((await engine.Challenges.StartAsync(tenant, principal)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
    }

    [Test]
    public async Task Lockout_HundredConsecutiveFailures_AreNeverReached()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        var failures = 0;
        while (failures < 100)
        {
            var start = await engine.Challenges.StartAsync(tenant, principal);
            if (start.Outcome == ChallengeStartOutcome.PrincipalLocked)
            {
                if (start.LockedUntil == DateTimeOffset.MaxValue)
                {
                    break;
                }

                engine.Time.Advance(start.LockedUntil!.Value - engine.Time.GetUtcNow());
                continue;
            }

            if (start.Outcome == ChallengeStartOutcome.TooSoon)
            {
                // C9: a code went out less than a minute ago.
                engine.Time.Advance(start.RetryAfter);
                continue;
            }

            var code = engine.Sender.LastCode(tenant, principal);
            ChallengeVerifyResult verified;
            do
            {
                verified = await engine.Challenges.VerifyAsync(tenant, start.Token, WrongCode(code));
                if (verified.Outcome is ChallengeVerifyOutcome.WrongCode or ChallengeVerifyOutcome.PrincipalLocked)
                {
                    failures++;
                }
            }
            while (verified.Outcome == ChallengeVerifyOutcome.WrongCode && verified.AttemptsLeft > 0);
        }

        Assert.That(failures, Is.EqualTo(50));
        Assert.That(await engine.Administration.UnlockAsync(tenant, principal), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await engine.Challenges.StartAsync(tenant, principal)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
    }

    [Test]
    public async Task Lockout_SameUserIdInAnotherTenant_IsNotLocked()
    {
        using var engine = CreateEngine();
        var tenantA = NewTenant();
        var tenantB = NewTenant();
        await AddEmailAccountAsync(engine, tenantA, 7);
        await AddEmailAccountAsync(engine, tenantB, 7);

        await FailAsync(engine, tenantA, 7, 10);

        Assert.That((await engine.Challenges.StartAsync(tenantA, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.PrincipalLocked));
        Assert.That((await engine.Challenges.StartAsync(tenantB, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
    }

    [Test]
    public async Task Unlock_PrincipalWithoutFailures_AnswersFalse()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);

        Assert.That(await engine.Administration.UnlockAsync(tenant, principal), Is.EqualTo(PrincipalUnlockOutcome.NothingToUnlock));
    }

    // ---- cleanup --------------------------------------------------------------------------------------------

    [Test]
    public async Task Purge_AfterTheChallengeLifetime_RemovesEndedChallenges()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var principal = await AddEmailAccountAsync(engine, tenant, 7);
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add((await StartAsync(engine, tenant, principal)).Token);
        }

        var (last, lastCode) = await StartAsync(engine, tenant, principal);
        engine.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.That((await engine.Challenges.VerifyAsync(tenant, last, lastCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Expired), "refused before any cleanup");
        tokens.Add(last);
        var (fresh, freshCode) = await StartAsync(engine, tenant, principal);
        var store = engine.Provider.GetRequiredService<IChallengeStore>();

        int purged;
        do
        {
            purged = await store.PurgeExpiredAsync(engine.Time.GetUtcNow(), 100, CancellationToken.None);
        }
        while (purged == 100);

        foreach (var token in tokens)
        {
            Assert.That((await engine.Challenges.VerifyAsync(tenant, token, lastCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
        }

        Assert.That((await engine.Challenges.VerifyAsync(tenant, fresh, freshCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "a live challenge is kept");
    }

    // ---- store contract: find, consume, step-up, failures outside a challenge (issue 4) ------------------------

    [Test]
    public async Task StoreFind_OpenChallenge_AnswersPrincipalAndFactorAndChangesNothing()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        await store.CreateAsync(challenge, Limits, CancellationToken.None);

        var first = await store.FindAsync(tenant, challenge.TokenHash, Epoch, Limits, CancellationToken.None);
        var second = await store.FindAsync(tenant, challenge.TokenHash, Epoch, Limits, CancellationToken.None);
        var reserved = await store.ReserveAsync(tenant, challenge.TokenHash, Epoch, Limits, CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(ChallengeStoreOutcome.Open));
        Assert.That(first.PrincipalId, Is.EqualTo(7));
        Assert.That(first.Factor, Is.EqualTo(FactorTypes.Totp));
        Assert.That(second, Is.EqualTo(first));
        Assert.That((reserved.Outcome, reserved.Attempts, reserved.Factor), Is.EqualTo((ChallengeStoreOutcome.Reserved, 1, FactorTypes.Totp)), "finding spends no attempt");
    }

    [Test]
    public async Task StoreFind_RefusesInVerifyOrderWithPrincipalAndFactor()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var consumed = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        var locked = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        var expired = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        foreach (var c in new[] { consumed, locked, expired })
        {
            await store.CreateAsync(c, Limits, CancellationToken.None);
        }

        await store.VerifyAsync(tenant, consumed.TokenHash, consumed.CodeDigest, Epoch, Limits, CancellationToken.None);
        for (var i = 0; i < Limits.MaxAttempts; i++)
        {
            await store.VerifyAsync(tenant, locked.TokenHash, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        }

        var foundConsumed = await store.FindAsync(tenant, consumed.TokenHash, Epoch, Limits, CancellationToken.None);
        var foundLocked = await store.FindAsync(tenant, locked.TokenHash, Epoch, Limits, CancellationToken.None);
        var foundExpired = await store.FindAsync(tenant, expired.TokenHash, expired.CodeExpiresAt, Limits, CancellationToken.None);
        var foundUnknown = await store.FindAsync(tenant, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        var foundElsewhere = await store.FindAsync(NewTenant(), expired.TokenHash, Epoch, Limits, CancellationToken.None);

        Assert.That((foundConsumed.Outcome, foundConsumed.PrincipalId, foundConsumed.Factor), Is.EqualTo((ChallengeStoreOutcome.Consumed, 7L, FactorTypes.Email)));
        Assert.That((foundLocked.Outcome, foundLocked.Factor), Is.EqualTo((ChallengeStoreOutcome.Locked, FactorTypes.Email)));
        Assert.That((foundExpired.Outcome, foundExpired.Factor), Is.EqualTo((ChallengeStoreOutcome.Expired, FactorTypes.Totp)));
        Assert.That(foundUnknown.Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound));
        Assert.That(foundElsewhere.Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound), "every key includes the tenant");
    }

    [Test]
    public async Task StoreFind_LockedPrincipal_AnswersPrincipalLockedWithTheTime()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var open = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        await store.CreateAsync(open, Limits, CancellationToken.None);
        ChallengeStoreResult last = default;
        for (var i = 0; i < Limits.LockoutThreshold; i++)
        {
            last = await store.RecordFailureAsync(tenant, 7, Epoch, Limits, CancellationToken.None);
        }

        var found = await store.FindAsync(tenant, open.TokenHash, Epoch, Limits, CancellationToken.None);

        Assert.That(last.LockedUntil, Is.EqualTo(Epoch + Limits.LockoutDuration));
        Assert.That(found.Outcome, Is.EqualTo(ChallengeStoreOutcome.PrincipalLocked));
        Assert.That(found.LockedUntil, Is.EqualTo(Epoch + Limits.LockoutDuration));
        Assert.That(found.Factor, Is.EqualTo(FactorTypes.Totp));
    }

    [Test]
    [Description("C5: a reserved attempt settled as a pass consumes the challenge once and resets the failures")]
    public async Task C5_StoreReserveSettle_OpenChallenge_PassesOnceReservingAnAttemptAndResettingFailures()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        await store.CreateAsync(challenge, Limits, CancellationToken.None);
        await store.VerifyAsync(tenant, challenge.TokenHash, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        for (var i = 0; i < Limits.LockoutThreshold - 2; i++)
        {
            await store.RecordFailureAsync(tenant, 7, Epoch, Limits, CancellationToken.None);
        }

        await store.ReserveAsync(tenant, challenge.TokenHash, Epoch, Limits, CancellationToken.None);
        var passed = await store.SettleAsync(tenant, challenge.TokenHash, ChallengeSettlement.Pass, Epoch, Limits, CancellationToken.None);
        var again = await store.ReserveAsync(tenant, challenge.TokenHash, Epoch, Limits, CancellationToken.None);
        var afterReset = await store.RecordFailureAsync(tenant, 7, Epoch, Limits, CancellationToken.None);

        Assert.That((passed.Outcome, passed.PrincipalId, passed.Attempts), Is.EqualTo((ChallengeStoreOutcome.Passed, 7L, 2)));
        Assert.That(again.Outcome, Is.EqualTo(ChallengeStoreOutcome.Consumed));
        Assert.That(afterReset.LockedUntil, Is.Null, "the pass reset nine failures; one more locks nothing");
    }

    [Test]
    [Description("C4: a reservation is refused like a verify: expired, locked, principal locked before anything is evaluated")]
    public async Task C4_StoreReserve_RefusesExpiredLockedAndLockedPrincipalLikeVerify()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var expired = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        var locked = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        var open = NewStoreChallenge(tenant, 8, FactorTypes.Totp);
        foreach (var c in new[] { expired, locked, open })
        {
            await store.CreateAsync(c, Limits, CancellationToken.None);
        }

        for (var i = 0; i < Limits.MaxAttempts; i++)
        {
            await store.VerifyAsync(tenant, locked.TokenHash, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        }

        for (var i = 0; i < Limits.LockoutThreshold; i++)
        {
            await store.RecordFailureAsync(tenant, 8, Epoch, Limits, CancellationToken.None);
        }

        Assert.That((await store.ReserveAsync(tenant, expired.TokenHash, expired.CodeExpiresAt, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Expired));
        Assert.That((await store.ReserveAsync(tenant, locked.TokenHash, Epoch, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Locked));
        Assert.That((await store.ReserveAsync(tenant, open.TokenHash, Epoch, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.PrincipalLocked));
        Assert.That((await store.ReserveAsync(NewTenant(), open.TokenHash, Epoch, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound));
    }

    [Test]
    [Description("C5: reserve-and-settle passes racing email verifies on two engines: exactly one passes")]
    public async Task C5_StoreReserveSettle_FiftyConcurrentWithVerify_ExactlyOnePasses()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time);
        using var second = CreateEngine(time);
        var tenant = NewTenant();

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Email);
            await first.Store.CreateAsync(challenge, Limits, CancellationToken.None);

            var outcomes = await RaceAsync(50, i => (i % 3) switch
            {
                0 => ReserveAndPassAsync(first.Store, tenant, challenge.TokenHash),
                1 => ReserveAndPassAsync(second.Store, tenant, challenge.TokenHash),
                _ => VerifyWhenFreeAsync(second.Store, tenant, challenge.TokenHash, challenge.CodeDigest),
            });

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStoreOutcome.Passed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStoreOutcome.Consumed), Is.EqualTo(49), $"round {round}");
        }
    }

    [Test]
    public async Task StoreReplaceCode_AuthenticatorChallenge_HasNoCodeToSendAndKeepsItsDigest()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        await store.CreateAsync(challenge, Limits, CancellationToken.None);
        var replacement = RandomNumberGenerator.GetBytes(32);

        var replaced = await store.ReplaceCodeAsync(tenant, challenge.TokenHash, replacement, challenge.ExpiresAt - TimeSpan.FromSeconds(1), Epoch + TimeSpan.FromMinutes(5), Epoch, Limits, CancellationToken.None);
        var verified = await store.VerifyAsync(tenant, challenge.TokenHash, replacement, Epoch, Limits, CancellationToken.None);

        Assert.That(replaced.Outcome, Is.EqualTo(ChallengeStoreOutcome.NoCodeToSend));
        Assert.That(replaced.PrincipalId, Is.EqualTo(7));
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode), "the digest was not replaced");
    }

    [Test]
    public async Task StoreRedeemStepUp_PassedChallenge_IsRedeemedOnceForItsPrincipalOnly()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var byVerify = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        var byConsume = NewStoreChallenge(tenant, 7, FactorTypes.Totp);
        await store.CreateAsync(byVerify, Limits, CancellationToken.None);
        await store.CreateAsync(byConsume, Limits, CancellationToken.None);
        var passedAt = Epoch + TimeSpan.FromMinutes(1);
        await store.VerifyAsync(tenant, byVerify.TokenHash, byVerify.CodeDigest, passedAt, Limits, CancellationToken.None);
        await store.ReserveAsync(tenant, byConsume.TokenHash, passedAt, Limits, CancellationToken.None);
        await store.SettleAsync(tenant, byConsume.TokenHash, ChallengeSettlement.Pass, passedAt, Limits, CancellationToken.None);
        var now = passedAt + TimeSpan.FromMinutes(4);
        var passedAfter = now - TimeSpan.FromMinutes(5);

        Assert.That(await store.RedeemStepUpAsync(tenant, byVerify.TokenHash, 8, passedAfter, now, CancellationToken.None), Is.False, "another principal");
        Assert.That(await store.RedeemStepUpAsync(NewTenant(), byVerify.TokenHash, 7, passedAfter, now, CancellationToken.None), Is.False, "another tenant");
        Assert.That(await store.RedeemStepUpAsync(tenant, byVerify.TokenHash, 7, passedAfter, now, CancellationToken.None), Is.True);
        Assert.That(await store.RedeemStepUpAsync(tenant, byVerify.TokenHash, 7, passedAfter, now, CancellationToken.None), Is.False, "once only");
        Assert.That(await store.RedeemStepUpAsync(tenant, byConsume.TokenHash, 7, passedAfter, now, CancellationToken.None), Is.True, "a settled pass counts too");
    }

    [Test]
    public async Task StoreRedeemStepUp_NotPassedTooOldOrEnded_IsRefused()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var open = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        var failed = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        var passed = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        foreach (var c in new[] { open, failed, passed })
        {
            await store.CreateAsync(c, Limits, CancellationToken.None);
        }

        await store.VerifyAsync(tenant, failed.TokenHash, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        await store.VerifyAsync(tenant, passed.TokenHash, passed.CodeDigest, Epoch, Limits, CancellationToken.None);

        Assert.That(await store.RedeemStepUpAsync(tenant, open.TokenHash, 7, Epoch - TimeSpan.FromMinutes(5), Epoch, CancellationToken.None), Is.False, "not passed");
        Assert.That(await store.RedeemStepUpAsync(tenant, failed.TokenHash, 7, Epoch - TimeSpan.FromMinutes(5), Epoch, CancellationToken.None), Is.False, "a wrong code is no pass");
        Assert.That(await store.RedeemStepUpAsync(tenant, passed.TokenHash, 7, Epoch, Epoch + TimeSpan.FromMinutes(5), CancellationToken.None), Is.False, "passed at, not after, the bound");
        Assert.That(await store.RedeemStepUpAsync(tenant, passed.TokenHash, 7, Epoch - TimeSpan.FromMinutes(1), passed.ExpiresAt, CancellationToken.None), Is.False, "the challenge has ended");
        Assert.That(await store.RedeemStepUpAsync(tenant, RandomNumberGenerator.GetBytes(32), 7, Epoch - TimeSpan.FromMinutes(1), Epoch, CancellationToken.None), Is.False, "unknown");
        Assert.That(await store.RedeemStepUpAsync(tenant, passed.TokenHash, 7, Epoch - TimeSpan.FromTicks(1), Epoch + TimeSpan.FromMinutes(4), CancellationToken.None), Is.True, "still redeemable after all refusals");
    }

    [Test]
    public async Task StoreRedeemStepUp_FiftyConcurrentOnTwoEngines_ExactlyOneSucceeds()
    {
        var time = new FakeTimeProvider(Epoch);
        using var first = CreateEngine(time);
        using var second = CreateEngine(time);
        var tenant = NewTenant();

        for (var round = 0; round < RaceRepetitions; round++)
        {
            var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Email);
            await first.Store.CreateAsync(challenge, Limits, CancellationToken.None);
            await first.Store.VerifyAsync(tenant, challenge.TokenHash, challenge.CodeDigest, Epoch, Limits, CancellationToken.None);

            var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? first : second).Store
                .RedeemStepUpAsync(tenant, challenge.TokenHash, 7, Epoch - TimeSpan.FromMinutes(5), Epoch, CancellationToken.None).AsTask());

            Assert.That(outcomes.Count(redeemed => redeemed), Is.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public async Task StoreRecordFailure_SharesTheCountWithVerifyAndCountsNothingWhileLocked()
    {
        using var engine = CreateEngine();
        var store = engine.Store;
        var tenant = NewTenant();
        var challenge = NewStoreChallenge(tenant, 7, FactorTypes.Email);
        await store.CreateAsync(challenge, Limits, CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await store.VerifyAsync(tenant, challenge.TokenHash, RandomNumberGenerator.GetBytes(32), Epoch, Limits, CancellationToken.None);
        }

        var results = new List<ChallengeStoreResult>();
        for (var i = 0; i < Limits.LockoutThreshold - 4; i++)
        {
            results.Add(await store.RecordFailureAsync(tenant, 7, Epoch, Limits, CancellationToken.None));
        }

        var whileLocked = await store.RecordFailureAsync(tenant, 7, Epoch + TimeSpan.FromMinutes(1), Limits, CancellationToken.None);
        var otherTenant = await store.RecordFailureAsync(NewTenant(), 7, Epoch, Limits, CancellationToken.None);
        var afterLock = await store.RecordFailureAsync(tenant, 7, Epoch + Limits.LockoutDuration, Limits, CancellationToken.None);

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That(results.Take(results.Count - 1).Select(r => r.LockedUntil), Is.All.Null);
        Assert.That(results[^1].LockedUntil, Is.EqualTo(Epoch + Limits.LockoutDuration), "the tenth failure, four of them verifies, locks");
        Assert.That(results[^1].PrincipalId, Is.EqualTo(7));
        Assert.That(whileLocked.Outcome, Is.EqualTo(ChallengeStoreOutcome.PrincipalLocked));
        Assert.That(whileLocked.LockedUntil, Is.EqualTo(Epoch + Limits.LockoutDuration));
        Assert.That(otherTenant.LockedUntil, Is.Null);
        Assert.That(afterLock.Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That(afterLock.LockedUntil, Is.Null, "the failure while locked was not counted: this is the eleventh");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /// <summary>
    /// The default limits as the engine hands them to the store, without the per-principal send cooldown so that a store
    /// test may create several email challenges of one principal at one moment (C9 has tests of its own).
    /// </summary>
    protected static ChallengeLimits Limits { get; } = ChallengeLimits.From(new ChallengeOptions()) with { SendCooldown = TimeSpan.Zero };

    /// <summary>Verifies a digest, asking again while the store answers busy (reservations still being evaluated).</summary>
    protected static async Task<ChallengeStoreResult> VerifyWhenFreeAsync(IChallengeStore store, TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> digest)
    {
        var verified = await store.VerifyAsync(tenant, tokenHash, digest, Epoch, Limits, CancellationToken.None);
        while (verified.Outcome == ChallengeStoreOutcome.Busy)
        {
            await Task.Delay(1);
            verified = await store.VerifyAsync(tenant, tokenHash, digest, Epoch, Limits, CancellationToken.None);
        }

        return verified;
    }

    /// <summary>Reserves an attempt and, when reserved, settles it as a pass; answers what decided.</summary>
    protected static async Task<ChallengeStoreResult> ReserveAndPassAsync(IChallengeStore store, TenantId tenant, ReadOnlyMemory<byte> tokenHash)
    {
        var reserved = await store.ReserveAsync(tenant, tokenHash, Epoch, Limits, CancellationToken.None);
        while (reserved.Outcome == ChallengeStoreOutcome.Busy)
        {
            await Task.Delay(1);
            reserved = await store.ReserveAsync(tenant, tokenHash, Epoch, Limits, CancellationToken.None);
        }

        return reserved.Outcome == ChallengeStoreOutcome.Reserved
            ? await store.SettleAsync(tenant, tokenHash, ChallengeSettlement.Pass, Epoch, Limits, CancellationToken.None)
            : reserved;
    }

    /// <summary>A challenge created at the epoch with random token hash and digest, as a store test hands it over.</summary>
    protected static NewChallenge NewStoreChallenge(TenantId tenant, long principalId, FactorTypes factor) =>
        new(tenant, principalId, factor, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32),
            Epoch, Epoch + TimeSpan.FromMinutes(5), Epoch + TimeSpan.FromMinutes(15), Epoch + TimeSpan.FromMinutes(1));


    /// <summary>Builds an engine (a provider with the stores under test) with a recording sender and the shared key.</summary>
    protected Engine CreateEngine(FakeTimeProvider? time = null, Action<ChallengeOptions>? limits = null)
    {
        time ??= new FakeTimeProvider(Epoch);
        var sender = new RecordingEmailSender();
        var provider = CreateProvider(time, services =>
        {
            services.AddSingleton<IEmailCodeSender>(sender);
            services.Configure<TwoFactorOptions>(o =>
            {
                o.KeyMaterial = SharedKeyMaterial;
                limits?.Invoke(o.Challenges);
            });
        });
        return new Engine(provider, time, sender);
    }

    /// <summary>Registers an account and allows email codes for it.</summary>
    protected static async Task<long> AddEmailAccountAsync(Engine engine, TenantId tenant, long accountId, bool isDemo = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, accountId, isDemo: isDemo)).Succeeded, Is.True);
        var updated = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(accountId), TwoFactorSetting.Allowed(FactorTypes.Email));
        Assert.That(updated.Succeeded, Is.True);
        return accountId;
    }

    /// <summary>
    /// Starts a challenge that must start, first waiting out the per-principal send cooldown if the start answers too soon
    /// (policy.md C9); answers its token and the code the sender received.
    /// </summary>
    protected static async Task<(string Token, string Code)> StartAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var started = await engine.Challenges.StartAsync(tenant, principalId);
        if (started.Outcome == ChallengeStartOutcome.TooSoon)
        {
            // C9: a code went to this principal less than a minute ago; wait as the answer says, then start.
            engine.Time.Advance(started.RetryAfter);
            started = await engine.Challenges.StartAsync(tenant, principalId);
        }

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, engine.Sender.LastCode(tenant, principalId));
    }

    /// <summary>A code of the right shape that is not <paramref name="code"/>.</summary>
    protected static string WrongCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));
    }

    /// <summary>Spends <paramref name="failures"/> wrong codes on fresh challenges, five per challenge.</summary>
    protected static async Task FailAsync(Engine engine, TenantId tenant, long principalId, int failures)
    {
        ArgumentNullException.ThrowIfNull(engine);
        while (failures > 0)
        {
            var (token, code) = await StartAsync(engine, tenant, principalId);
            for (var i = 0; i < 5 && failures > 0; i++, failures--)
            {
                var verified = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
                Assert.That(verified.Outcome, Is.AnyOf(ChallengeVerifyOutcome.WrongCode, ChallengeVerifyOutcome.PrincipalLocked));
            }
        }
    }

    /// <summary>Fails until the principal is locked; answers the end of the lockout.</summary>
    protected static async Task<DateTimeOffset> FailUntilLockedAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        for (var challenge = 0; challenge < 20; challenge++)
        {
            var (token, code) = await StartAsync(engine, tenant, principalId);
            for (var i = 0; i < 5; i++)
            {
                var verified = await engine.Challenges.VerifyAsync(tenant, token, WrongCode(code));
                if (verified.Outcome == ChallengeVerifyOutcome.PrincipalLocked)
                {
                    return verified.LockedUntil!.Value;
                }
            }
        }

        throw new AssertionException("The principal was never locked.");
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

    private static byte[] DecodeBase64Url(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    /// <summary>One engine instance: its provider, clock, sender and services.</summary>
    protected sealed class Engine(ServiceProvider provider, FakeTimeProvider time, RecordingEmailSender sender) : IDisposable
    {
        public ServiceProvider Provider { get; } = provider;

        public FakeTimeProvider Time { get; } = time;

        public RecordingEmailSender Sender { get; } = sender;

        public ITwoFactorChallenges Challenges => Provider.GetRequiredService<ITwoFactorChallenges>();

        public Navixy.TwoFactor.Administration.ITwoFactorAdministration Administration => Provider.GetRequiredService<Navixy.TwoFactor.Administration.ITwoFactorAdministration>();

        public ITwoFactorDirectory Directory => Provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorSettings Settings => Provider.GetRequiredService<ITwoFactorSettings>();

        public IChallengeStore Store => Provider.GetRequiredService<IChallengeStore>();

        public Navixy.TwoFactor.Totp.ITotpEnrollment Enrollment => Provider.GetRequiredService<Navixy.TwoFactor.Totp.ITotpEnrollment>();

        public void Dispose() => Provider.Dispose();
    }
}

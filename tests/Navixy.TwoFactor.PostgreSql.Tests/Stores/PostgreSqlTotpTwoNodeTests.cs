using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Authenticator apps, recovery codes and step-up over two engine instances (separate service providers and connection
/// pools, one clock) on one database, as two API nodes of a backend. Each race goes through a start gate and asserts an
/// outcome that holds for every interleaving.
/// </summary>
public sealed class PostgreSqlTotpTwoNodeTests : PostgreSqlFixture
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Test]
    public async Task EnrolledThroughA_LogsInThroughBAndTheCodeIsSpentForA()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7);
        var (app, _) = await EnrolAsync(a, tenant, 7);
        var code = app.CodeAt(a.Time.GetUtcNow());

        var throughB = await LoginAsync(b, tenant, 7, code);
        var replayThroughA = await LoginAsync(a, tenant, 7, code);

        Assert.That(throughB.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(replayThroughA.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "the step B accepted is spent on every node: a replay, never a failure");
    }

    [Test]
    public async Task OneAuthenticatorCodeOnTenChallengesSpreadOverBothNodes_ExactlyOnePassesEveryRound()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7);
        var (app, _) = await EnrolAsync(a, tenant, 7);

        for (var round = 0; round < 50; round++)
        {
            var tokens = new string[10];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = (await (i % 2 == 0 ? a : b).Challenges.StartAsync(tenant, 7)).Token!;
            }

            var code = app.CodeAt(a.Time.GetUtcNow());
            var outcomes = await RaceAsync(10, i => (i % 2 == 0 ? b : a).Challenges.VerifyAsync(tenant, tokens[i], code).AsTask());

            // A copy evaluated before the winner settled finds the step spent when it settles; one evaluated after finds it
            // replayed: already used either way, never a failure (policy.md C5).
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.AlreadyUsed), Is.EqualTo(9), $"round {round}");
            a.Time.Advance(Step);
        }
    }

    [Test]
    public async Task OneStepAdvancedTwentyTimesAtOnceThroughBothNodesStores_SucceedsOnceEveryRound()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        var secret = RandomNumberGenerator.GetBytes(49);
        await a.EnrollmentStore.SavePendingAsync(tenant, 7, secret, Epoch.AddMinutes(10), CancellationToken.None);
        Assert.That(await b.EnrollmentStore.ActivatePendingAsync(tenant, 7, secret, 0, Epoch, CancellationToken.None), Is.True);

        for (var step = 1; step <= 100; step++)
        {
            var matched = step;
            var advanced = await RaceAsync(20, i => (i % 2 == 0 ? a : b).EnrollmentStore.TryAdvanceStepAsync(tenant, 7, secret, matched, CancellationToken.None).AsTask());

            Assert.That(advanced.Count(accepted => accepted), Is.EqualTo(1), $"step {step}");
        }

        Assert.That((await a.EnrollmentStore.GetAsync(tenant, 7, CancellationToken.None))!.LastAcceptedStep, Is.EqualTo(100));
    }

    [Test]
    public async Task EveryRecoveryCodeRedeemedTenTimesAtOnceOverBothNodes_PassesOnceEach()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7);
        var (_, codes) = await EnrolAsync(a, tenant, 7);

        for (var c = 0; c < codes.Count; c++)
        {
            var tokens = new string[10];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = (await (i % 2 == 0 ? a : b).Challenges.StartAsync(tenant, 7)).Token!;
            }

            var outcomes = await RaceAsync(10, i => (i % 2 == 0 ? b : a).Challenges.VerifyAsync(tenant, tokens[i], codes[c]).AsTask());

            // A copy that found the code unused finds it spent when it settles (already used); one that looked it up after
            // the winner settled finds no unused code with that value (the engine's lookup answers wrong code).
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"code {c}");
            Assert.That(outcomes.Count(o => o.Outcome is ChallengeVerifyOutcome.AlreadyUsed or ChallengeVerifyOutcome.WrongCode), Is.EqualTo(9), $"code {c}");
            Assert.That((await b.Enrollment.GetStatusAsync(tenant, 7))?.RecoveryCodesLeft, Is.EqualTo(codes.Count - c - 1), $"code {c}");
        }
    }

    [Test]
    public async Task OneRecoveryCodeMarkedUsedTwentyTimesAtOnceThroughBothNodesStores_SucceedsOnceEveryRound()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();

        for (var round = 0; round < 100; round++)
        {
            var code = new RecoveryCodeHash("K3M" + (char)('A' + (round % 26)), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32), 10_000);
            await a.RecoveryCodeStore.ReplaceAsync(tenant, 7, [code, new RecoveryCodeHash(code.LookupId, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32), 10_000)], CancellationToken.None);

            var marked = await RaceAsync(20, i => (i % 2 == 0 ? a : b).RecoveryCodeStore.TryMarkUsedAsync(tenant, 7, code, CancellationToken.None).AsTask());

            Assert.That(marked.Count(m => m), Is.EqualTo(1), $"round {round}");
            Assert.That(await b.RecoveryCodeStore.CountUnusedAsync(tenant, 7, CancellationToken.None), Is.EqualTo(1), $"round {round}: the other code of the same lookup id is untouched");
        }
    }

    [Test]
    public async Task SixRecoverySetsReplacedAtOnceOverBothNodes_LeaveExactlyOneWholeSet()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();

        for (var round = 0; round < 50; round++)
        {
            // Set s has the lookup ids S{s}00 to S{s}09, so the survivors tell which sets they came from.
            var sets = Enumerable.Range(0, 6).Select(set => Enumerable.Range(0, 10)
                .Select(i => new RecoveryCodeHash($"S{set}{i:00}", RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32), 10_000)).ToArray()).ToArray();

            await RaceAsync(6, async i =>
            {
                await (i % 2 == 0 ? a : b).RecoveryCodeStore.ReplaceAsync(tenant, 7, sets[i], CancellationToken.None);
                return i;
            });

            var survivors = new List<string>();
            foreach (var code in sets.SelectMany(set => set))
            {
                survivors.AddRange((await a.RecoveryCodeStore.FindUnusedAsync(tenant, 7, code.LookupId, CancellationToken.None)).Select(c => c.LookupId));
            }

            Assert.That(survivors, Has.Count.EqualTo(10), $"round {round}");
            Assert.That(survivors.Select(id => id[1]).Distinct().Count(), Is.EqualTo(1), $"round {round}: {string.Join(", ", survivors)}");
        }
    }

    [Test]
    public async Task OneStepUpTokenSpentTwentyTimesAtOnceOverBothNodes_IsAcceptedOnceEveryRound()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7);
        var (app, _) = await EnrolAsync(a, tenant, 7);

        for (var round = 0; round < 100; round++)
        {
            var token = await PassAsync(round % 2 == 0 ? a : b, tenant, 7, app);

            // Re-enrolment while enrolled needs step-up; the winner only stores a pending secret, so rounds stay cheap.
            var outcomes = await RaceAsync(20, i => (i % 2 == 0 ? b : a).Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", token).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == TotpEnrollmentOutcome.Begun), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == TotpEnrollmentOutcome.StepUpRequired), Is.EqualTo(19), $"round {round}");
        }
    }

    [Test]
    public async Task ConfirmationThroughA_ReplacesTheSecretForB()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7);
        var (old, _) = await EnrolAsync(a, tenant, 7);
        var token = await PassAsync(b, tenant, 7, old);

        var fresh = TestAuthenticator.From(await b.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", token));
        a.Time.Advance(Step);
        var confirmed = await a.Enrollment.ConfirmAsync(tenant, 7, fresh.CodeAt(a.Time.GetUtcNow()));
        a.Time.Advance(Step);
        var withOld = await LoginAsync(b, tenant, 7, old.CodeAt(b.Time.GetUtcNow()));
        var withNew = await LoginAsync(b, tenant, 7, fresh.CodeAt(b.Time.GetUtcNow()));

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        Assert.That(withOld.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That(withNew.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    private (TestNode A, TestNode B) StartNodes()
    {
        var time = new FakeTimeProvider(Epoch);
        return (StartNode("a", time: time, options: RaceOptions), StartNode("b", time: time, options: RaceOptions));
    }

    /// <summary>
    /// The fastest recovery-code hashing the options allow, room for the ten open challenges of a race, and a lockout
    /// loose enough that the losers of a race (nine wrong attempts each) cannot lock the principal before a later round's
    /// winner passes.
    /// </summary>
    private static void RaceOptions(TwoFactorOptions options)
    {
        options.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
        options.Challenges.MaxOpenChallenges = 10;
        options.Challenges.PrincipalLockoutThreshold = 50;
        options.Challenges.PrincipalMaxConsecutiveFailures = ChallengeOptions.MaxConsecutiveFailuresLimit;
    }

    private static async Task AddAccountAsync(TestNode node, TenantId tenant, long id)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
    }

    /// <summary>Enrols through <paramref name="node"/> and moves the shared clock one step on, past the confirming code's step.</summary>
    private static async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(TestNode node, TenantId tenant, long id)
    {
        var app = TestAuthenticator.From(await node.Enrollment.BeginAsync(tenant, id, "Fleet", "driver"));
        var confirmed = await node.Enrollment.ConfirmAsync(tenant, id, app.CodeAt(node.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        node.Time.Advance(Step);
        return (app, confirmed.RecoveryCodes);
    }

    private static async Task<ChallengeVerifyResult> LoginAsync(TestNode node, TenantId tenant, long id, string code)
    {
        var started = await node.Challenges.StartAsync(tenant, id);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return await node.Challenges.VerifyAsync(tenant, started.Token, code);
    }

    /// <summary>Passes a fresh challenge with the code of the next unused step; answers its token, for step-up.</summary>
    private static async Task<string> PassAsync(TestNode node, TenantId tenant, long id, TestAuthenticator app)
    {
        var started = await node.Challenges.StartAsync(tenant, id);
        node.Time.Advance(Step);
        Assert.That((await node.Challenges.VerifyAsync(tenant, started.Token, app.CodeAt(node.Time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        return started.Token!;
    }

    /// <summary>Runs <paramref name="count"/> operations released together on pool threads.</summary>
    private static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> operation)
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
}

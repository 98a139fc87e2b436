using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// The email second step over two engine instances (separate service providers and connection pools, one clock) on
/// one database, as two API nodes of a backend, and over a restart. Races go through a start gate and assert
/// outcomes that hold for every interleaving.
/// </summary>
public sealed class PostgreSqlChallengeTwoNodeTests : PostgreSqlFixture
{
    private const int Rounds = 100;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The default resend cooldown, which also spaces one principal's email starts (policy.md C9).</summary>
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);

    [Test]
    public async Task CodeIssuedThroughA_VerifiesThroughBOnce()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddEmailAccountAsync(a, tenant, 7);

        var started = await a.Challenges.StartAsync(tenant, 7);
        var code = a.Sender.LastCode(tenant, 7);

        Assert.That((await b.Challenges.VerifyAsync(tenant, started.Token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await a.Challenges.VerifyAsync(tenant, started.Token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed));
    }

    [Test]
    public async Task ResendThroughB_ReplacesTheCodeIssuedThroughA()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddEmailAccountAsync(a, tenant, 7);
        var started = await a.Challenges.StartAsync(tenant, 7);
        var oldCode = a.Sender.LastCode(tenant, 7);
        a.Time.Advance(TimeSpan.FromMinutes(1));

        var resent = await b.Challenges.ResendAsync(tenant, started.Token);
        var newCode = b.Sender.LastCode(tenant, 7);
        Assume.That(newCode, Is.Not.EqualTo(oldCode), "one chance in a million that the new code is the old one");

        Assert.That((resent.Outcome, resent.SendsLeft), Is.EqualTo((ChallengeResendOutcome.Sent, 3)));
        Assert.That((await a.Challenges.VerifyAsync(tenant, started.Token, oldCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        Assert.That((await a.Challenges.VerifyAsync(tenant, started.Token, newCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task FiftyConcurrentRightCodesSpreadOverBothNodes_ExactlyOnePasses()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddEmailAccountAsync(a, tenant, 7);

        for (var round = 0; round < Rounds; round++)
        {
            a.Time.Advance(Cooldown);
            var started = await (round % 2 == 0 ? a : b).Challenges.StartAsync(tenant, 7);
            var code = (round % 2 == 0 ? a : b).Sender.LastCode(tenant, 7);

            var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? a : b).Challenges.VerifyAsync(tenant, started.Token, code).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Passed), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.AlreadyUsed), Is.EqualTo(49), $"round {round}");
        }
    }

    [Test]
    public async Task FiftyConcurrentWrongGuessesOverBothNodes_AtMostFiveAreEvaluated()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddEmailAccountAsync(a, tenant, 7);
        var started = await a.Challenges.StartAsync(tenant, 7);
        var code = a.Sender.LastCode(tenant, 7);

        var outcomes = await RaceAsync(50, i => (i % 2 == 0 ? a : b).Challenges.VerifyAsync(tenant, started.Token, WrongCode(code)).AsTask());

        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.WrongCode), Is.EqualTo(5));
        Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.Locked), Is.EqualTo(45));
        Assert.That(outcomes.Where(o => o.Outcome == ChallengeVerifyOutcome.WrongCode).Select(o => o.AttemptsLeft), Is.EquivalentTo(new[] { 4, 3, 2, 1, 0 }));
    }

    [Test]
    public async Task PrincipalLockout_IsSharedByBothNodes()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddEmailAccountAsync(a, tenant, 7);
        var open = await b.Challenges.StartAsync(tenant, 7);
        var openCode = b.Sender.LastCode(tenant, 7);

        await FailAsync(a, tenant, 7, 9);
        var (token, code) = await StartAsync(b, tenant, 7);
        var tenth = await b.Challenges.VerifyAsync(tenant, token, WrongCode(code));

        var until = a.Time.GetUtcNow() + TimeSpan.FromMinutes(15);
        Assert.That((tenth.Outcome, tenth.LockedUntil), Is.EqualTo((ChallengeVerifyOutcome.PrincipalLocked, (DateTimeOffset?)until)), "the tenth failure, nine of them through A");
        var startOnA = await a.Challenges.StartAsync(tenant, 7);
        Assert.That((startOnA.Outcome, startOnA.LockedUntil), Is.EqualTo((ChallengeStartOutcome.PrincipalLocked, (DateTimeOffset?)until)));
        Assert.That((await a.Challenges.VerifyAsync(tenant, open.Token, openCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked), "the right code of an open challenge");
        Assert.That((await a.Challenges.ResendAsync(tenant, open.Token)).Outcome, Is.EqualTo(ChallengeResendOutcome.PrincipalLocked));

        Assert.That(await b.Administration.UnlockAsync(tenant, 7), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));
        Assert.That((await a.Challenges.VerifyAsync(tenant, open.Token, openCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "unlocked through B, seen by A");
    }

    [Test]
    public async Task ConcurrentWrongGuessesOnSeveralChallengesOverBothNodes_StopExactlyAtTheLockout()
    {
        var (a, b) = StartNodes();
        for (var round = 0; round < 20; round++)
        {
            var tenant = NewTenant();
            await AddEmailAccountAsync(a, tenant, 7);
            var open = new List<(string Token, string Code)>();
            for (var i = 0; i < 4; i++)
            {
                open.Add(await StartAsync(i % 2 == 0 ? a : b, tenant, 7));
            }

            // Twenty guesses could be evaluated by the challenges' attempt limits; the principal's lockout stops them at ten.
            var outcomes = await RaceAsync(20, i => (i % 2 == 0 ? a : b).Challenges.VerifyAsync(tenant, open[i % 4].Token, WrongCode(open[i % 4].Code)).AsTask());

            var until = a.Time.GetUtcNow() + TimeSpan.FromMinutes(15);
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.WrongCode), Is.EqualTo(9), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeVerifyOutcome.PrincipalLocked), Is.EqualTo(11), $"round {round}");
            Assert.That(outcomes.Where(o => o.Outcome == ChallengeVerifyOutcome.PrincipalLocked).Select(o => o.LockedUntil), Is.All.EqualTo(until), $"round {round}");

            // Exactly ten failures were counted: after the lockout, the next lock comes at the twentieth.
            a.Time.Advance(TimeSpan.FromMinutes(15));
            var (token, code) = await StartAsync(b, tenant, 7);
            for (var i = 0; i < 5; i++)
            {
                Assert.That((await a.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"round {round}, failure {11 + i}");
            }

            await FailAsync(b, tenant, 7, 4);
            var twentieth = await StartAsync(a, tenant, 7);
            Assert.That((await b.Challenges.VerifyAsync(tenant, twentieth.Token, WrongCode(twentieth.Code))).LockedUntil, Is.EqualTo(a.Time.GetUtcNow() + TimeSpan.FromMinutes(30)), $"round {round}");
        }
    }

    [Test]
    public async Task RecordFailure_FirstFailuresOfAPrincipalWithoutARowAtOnceOverBothNodes_CountOneAndTheRestSeeItsLock()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        var limits = new ChallengeLimits(MaxAttempts: 5, MaxSends: 5, LockoutThreshold: 1, LockoutDuration: TimeSpan.FromMinutes(15), MaxConsecutiveFailures: 99);
        var until = Epoch + TimeSpan.FromMinutes(15);

        for (var principal = 1; principal <= 20; principal++)
        {
            // No challenge was ever started, so no lockout row exists: the racers create it, and the first failure locks.
            var id = principal;
            var outcomes = await RaceAsync(20, i => (i % 2 == 0 ? a : b).ChallengeStore.RecordFailureAsync(tenant, id, Epoch, limits, CancellationToken.None).AsTask());
            var next = await a.ChallengeStore.RecordFailureAsync(tenant, id, until, limits, CancellationToken.None);

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStoreOutcome.WrongCode), Is.EqualTo(1), $"principal {id}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStoreOutcome.PrincipalLocked), Is.EqualTo(19), $"principal {id}");
            Assert.That(outcomes.Select(o => o.LockedUntil), Is.All.EqualTo(until), $"principal {id}");
            Assert.That(next.LockedUntil, Is.EqualTo(until + TimeSpan.FromMinutes(30)), $"principal {id}: only one failure was counted, so this is the second");
        }
    }

    [Test]
    public async Task Restart_FailureCountAndOpenChallengeSurviveANewEngine()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-restart", time: time);
        var tenant = NewTenant();
        await AddEmailAccountAsync(before, tenant, 7);
        var (open, openCode) = await StartAsync(before, tenant, 7);
        await FailAsync(before, tenant, 7, 9);
        await before.DisposeAsync();

        var after = StartNode("after-restart", time: time);
        var (token, code) = await StartAsync(after, tenant, 7);
        var tenth = await after.Challenges.VerifyAsync(tenant, token, WrongCode(code));

        Assert.That(tenth.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked), "nine failures before the restart, the tenth after");
        Assert.That(await after.Administration.UnlockAsync(tenant, 7), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));
        Assert.That((await after.Challenges.VerifyAsync(tenant, open, openCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "a challenge issued before the restart, with the same key material");
    }

    [Test]
    public async Task Restart_WithOtherKeyMaterial_OldTokensAreUnknown()
    {
        var tenant = NewTenant();
        var before = StartNode("before-restart");
        await AddEmailAccountAsync(before, tenant, 7);
        var (open, openCode) = await StartAsync(before, tenant, 7);
        await before.DisposeAsync();

        var after = StartNode("after-restart", keyMaterial: Convert.ToBase64String(new byte[32]));

        Assert.That((await after.Challenges.VerifyAsync(tenant, open, openCode)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken), "the token hash is keyed: another key finds nothing");
    }

    private (TestNode A, TestNode B) StartNodes()
    {
        var time = new FakeTimeProvider(Epoch);
        return (StartNode("a", time: time), StartNode("b", time: time));
    }

    private static async Task AddEmailAccountAsync(TestNode node, TenantId tenant, long id)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
    }

    /// <summary>Starts a challenge that must start, a send cooldown after the previous start (the nodes share the clock).</summary>
    private static async Task<(string Token, string Code)> StartAsync(TestNode node, TenantId tenant, long id)
    {
        node.Time.Advance(Cooldown);
        var started = await node.Challenges.StartAsync(tenant, id);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, node.Sender.LastCode(tenant, id));
    }

    /// <summary>Spends <paramref name="failures"/> wrong codes on fresh challenges, five per challenge.</summary>
    private static async Task FailAsync(TestNode node, TenantId tenant, long id, int failures)
    {
        while (failures > 0)
        {
            var (token, code) = await StartAsync(node, tenant, id);
            for (var i = 0; i < 5 && failures > 0; i++, failures--)
            {
                Assert.That((await node.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
            }
        }
    }

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

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

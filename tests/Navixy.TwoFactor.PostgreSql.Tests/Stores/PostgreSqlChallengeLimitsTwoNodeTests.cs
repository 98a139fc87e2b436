using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Bursts over two engine instances (separate service providers and connection pools, one standing clock) on one
/// database: starts of one principal (policy.md C9: one code per cooldown, at most the cap open) and settlements of one
/// right authenticator code on several of its challenges (C5: exactly one pass, no failure). Each race goes through a
/// start gate and asserts an outcome that holds for every interleaving.
/// </summary>
public sealed class PostgreSqlChallengeLimitsTwoNodeTests : PostgreSqlFixture
{
    private const int Rounds = 10;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Test]
    public async Task TwentyConcurrentEmailStartsOverBothNodes_CreateOneChallengeAndSendOneCode()
    {
        var (a, b) = StartNodes();
        for (var round = 0; round < Rounds; round++)
        {
            var tenant = NewTenant();
            await AddAccountAsync(a, tenant, 7, FactorTypes.Email);

            var outcomes = await RaceAsync(20, i => (i % 2 == 0 ? a : b).Challenges.StartAsync(tenant, 7).AsTask());

            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStartOutcome.Started), Is.EqualTo(1), $"round {round}");
            Assert.That(outcomes.Count(o => o.Outcome == ChallengeStartOutcome.TooSoon), Is.EqualTo(19), $"round {round}");
            Assert.That(a.Sender.CountFor(tenant, 7) + b.Sender.CountFor(tenant, 7), Is.EqualTo(1), $"round {round}: one code sent");
            Assert.That(await CountAsync(a, tenant, 7, openOnly: false), Is.EqualTo(1), $"round {round}: one challenge stored");
        }
    }

    [Test]
    public async Task ThirtyConcurrentAuthenticatorStartsOverBothNodes_LeaveAtMostTheCapOpen()
    {
        var (a, b) = StartNodes();
        for (var round = 0; round < Rounds; round++)
        {
            var tenant = NewTenant();
            await AddAccountAsync(a, tenant, 7, FactorTypes.Totp);
            await EnrolAsync(a, tenant, 7);

            var outcomes = await RaceAsync(30, i => (i % 2 == 0 ? a : b).Challenges.StartAsync(tenant, 7).AsTask());

            // No cooldown for a factor that sends nothing: every start is created, and each revokes the oldest beyond five.
            Assert.That(outcomes.Select(o => o.Outcome), Is.All.EqualTo(ChallengeStartOutcome.Started), $"round {round}");
            Assert.That(await CountAsync(a, tenant, 7, openOnly: true), Is.EqualTo(5), $"round {round}: open challenges");
            var known = 0;
            foreach (var started in outcomes)
            {
                // The blob cannot be decrypted, so a known token answers failed (its attempt released) and an unknown one unknown.
                var found = await a.Challenges.VerifyAsync(tenant, started.Token, "000000");
                known += found.Outcome == ChallengeVerifyOutcome.UnknownToken ? 0 : 1;
            }

            Assert.That(known, Is.EqualTo(5), $"round {round}: the tokens still known");
        }
    }

    [Test]
    public async Task OneRightStepSettledOnFiveChallengesAtOnceOverBothNodes_PassesOnceAndCountsNoFailure()
    {
        var (a, b) = StartNodes();
        var tenant = NewTenant();
        await AddAccountAsync(a, tenant, 7, FactorTypes.Totp);
        var secret = await EnrolAsync(a, tenant, 7);
        var limits = ChallengeLimits.From(new ChallengeOptions());

        for (var round = 0; round < 20; round++)
        {
            var now = a.Time.GetUtcNow();
            var tokens = new List<byte[]>();
            for (var i = 0; i < 5; i++)
            {
                var challenge = new NewChallenge(tenant, 7, FactorTypes.Totp, Random32(), Random32(), now, now.AddMinutes(5), now.AddMinutes(5), now.AddMinutes(5));
                Assert.That(await (i % 2 == 0 ? a : b).ChallengeStore.CreateAsync(challenge, limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
                Assert.That((await (i % 2 == 0 ? b : a).ChallengeStore.ReserveAsync(tenant, challenge.TokenHash, now, limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Reserved));
                tokens.Add(challenge.TokenHash.ToArray());
            }

            var step = 101 + round;
            var settlement = ChallengeSettlement.PassWithTimeStep(secret, step);

            var settled = await RaceAsync(5, i => (i % 2 == 0 ? a : b).ChallengeStore.SettleAsync(tenant, tokens[i], settlement, now, limits, CancellationToken.None).AsTask());

            Assert.That(settled.Count(s => s == ChallengeStoreResult.Passed(7, 1)), Is.EqualTo(1), $"round {round}");
            Assert.That(settled.Count(s => s == ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, 7)), Is.EqualTo(4), $"round {round}");
            Assert.That((await b.EnrollmentStore.GetAsync(tenant, 7, CancellationToken.None))!.LastAcceptedStep, Is.EqualTo(step), $"round {round}");
            Assert.That(await ScalarAsync(a, $"SELECT failures FROM navixy_twofactor.principal_lockouts WHERE tenant_id = {tenant.Value} AND principal_id = 7"), Is.Zero, $"round {round}: no failure counted");
            Assert.That(await ScalarAsync(a, $"SELECT count(*) FROM navixy_twofactor.challenges WHERE tenant_id = {tenant.Value} AND consumed_at = {now.UtcTicks}"), Is.EqualTo(1), $"round {round}: one challenge consumed");
            Assert.That(await ScalarAsync(a, $"SELECT count(*) FROM navixy_twofactor.challenges WHERE tenant_id = {tenant.Value} AND pending > 0"), Is.Zero, $"round {round}: every reservation released");
            a.Time.Advance(Step);
        }
    }

    private (TestNode A, TestNode B) StartNodes()
    {
        var time = new FakeTimeProvider(Epoch);
        return (StartNode("a", time: time), StartNode("b", time: time));
    }

    private static async Task AddAccountAsync(TestNode node, TenantId tenant, long id, FactorTypes factors)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), TwoFactorSetting.Allowed(factors))).Succeeded, Is.True);
    }

    /// <summary>
    /// Gives the principal an active authenticator through the enrolment store, with step 100 accepted last. The blob is
    /// random: a start only asks whether one is active, and a settlement compares it, never decrypts it.
    /// </summary>
    private static async Task<byte[]> EnrolAsync(TestNode node, TenantId tenant, long id)
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(49);
        await node.EnrollmentStore.SavePendingAsync(tenant, id, secret, node.Time.GetUtcNow().AddMinutes(10), CancellationToken.None);
        Assert.That(await node.EnrollmentStore.ActivatePendingAsync(tenant, id, secret, 100, node.Time.GetUtcNow(), CancellationToken.None), Is.True);
        return secret;
    }

    /// <summary>The principal's stored challenges (with <paramref name="openOnly"/>: those neither consumed nor ended).</summary>
    private static Task<long> CountAsync(TestNode node, TenantId tenant, long id, bool openOnly) => ScalarAsync(
        node,
        $"SELECT count(*) FROM navixy_twofactor.challenges WHERE tenant_id = {tenant.Value} AND principal_id = {id}"
        + (openOnly ? $" AND consumed_at IS NULL AND expires_at > {node.Time.GetUtcNow().UtcTicks}" : string.Empty));

    private static async Task<long> ScalarAsync(TestNode node, string sql)
    {
        await using var command = node.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Random32() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

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

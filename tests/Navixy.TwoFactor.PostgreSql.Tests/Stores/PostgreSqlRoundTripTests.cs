using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Counts round trips (commands or batches Npgsql sends) and statements per operation, not time. Each node is
/// warmed first, so that opening the pool's physical connection is not counted.
/// </summary>
public sealed class PostgreSqlRoundTripTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    [TestCase(PrincipalKind.Account)]
    [TestCase(PrincipalKind.SubUser)]
    [TestCase(PrincipalKind.Unknown)]
    public async Task Resolve_IsOneStatementInOneRoundTrip(PrincipalKind kind)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        await node.Directory.RegisterSubUserAsync(tenant, 2, 1);
        var id = kind switch { PrincipalKind.Account => 1, PrincipalKind.SubUser => 2, _ => 3 };

        var cost = await node.RoundTrips.CountAsync(async () => await node.Resolver.ResolveAsync(tenant, id));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [TestCase(1)]
    [TestCase(500)]
    [Description("S10, S11: one round trip, one transaction; the second statement folds in scheduled changes that are due")]
    public async Task UpdateAll_IsOneRoundTripOfTwoStatementsWhateverTheAccountCount(int accounts)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, accounts);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email)).ChangedAccounts, Is.EqualTo(accounts)));

        Assert.That(cost, Is.EqualTo((1L, 2L)));
    }

    [Test]
    public async Task UpdateAll_WritesNoPrincipalRow()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, 50);
        await node.Directory.RegisterSubUserAsync(tenant, 100, 1);
        var before = await RowVersionsAsync(node.DataSource, tenant);

        await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email);
        await node.Settings.EnforceForEveryoneAsync(tenant, TwoFactorSetting.Disallowed);

        // xmin changes whenever a row is written: every principal row is the one registration wrote.
        Assert.That(await RowVersionsAsync(node.DataSource, tenant), Is.EqualTo(before));
    }

    [Test]
    public async Task Writes_EachTakeOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();

        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RegisterAccountAsync(tenant, 1))).RoundTrips, Is.EqualTo(1), "register account");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RegisterSubUserAsync(tenant, 2, 1))).RoundTrips, Is.EqualTo(1), "register sub-user");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email))).RoundTrips, Is.EqualTo(1), "update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 2, 3), Email))).RoundTrips, Is.EqualTo(1), "rejected update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email, dryRun: true))).RoundTrips, Is.EqualTo(1), "dry-run update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email, dryRun: true))).RoundTrips, Is.EqualTo(1), "dry-run update all");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateDefaultAsync(tenant, Email))).RoundTrips, Is.EqualTo(1), "update default");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.EnforceForEveryoneAsync(tenant, Email))).RoundTrips, Is.EqualTo(1), "enforce for everyone");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.ReadDefaultAsync(tenant))).RoundTrips, Is.EqualTo(1), "read default");

        // Removing account 1 with its sub-user 2: one for the directory, then, for each removed principal, one each for its
        // challenges and lockout, its enrolment, its recovery codes, its remembered devices and its enrolment period start
        // (policy.md C10, G1).
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RemoveAsync(tenant, 1))).RoundTrips, Is.EqualTo(1 + (2 * 5)), "remove");
    }

    [Test]
    public async Task ChallengeStart_IsTwoRoundTrips_ResolveAndCreate()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started)));

        // Resolve, then the create batch: lock the principal's row, then decide, revoke and insert under that lock.
        Assert.That(cost, Is.EqualTo((2L, 3L)));
    }

    [Test]
    public async Task ChallengeStart_WithinTheCooldown_IsTwoRoundTrips()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);
        Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.TooSoon)));

        Assert.That(cost, Is.EqualTo((2L, 3L)));
    }

    [Test]
    public async Task ChallengeStart_NotRequired_IsOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, 1);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.NotRequired)));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task ChallengeStart_DeliveryFails_TakesOneMoreToWithdraw()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);
        node.Sender.Fail = true;

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.DeliveryFailed)));

        // Resolve, create (lock, decide), revoke (lock, then delete the challenge and retire the principal's row).
        Assert.That(cost, Is.EqualTo((3L, 5L)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ChallengeVerify_RightOrWrongCode_IsOneStatementInOneRoundTrip(bool right)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);
        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;
        var code = node.Sender.LastCode(tenant, 1);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.VerifyAsync(tenant, token, right ? code : WrongCode(code))).Outcome, Is.EqualTo(right ? ChallengeVerifyOutcome.Passed : ChallengeVerifyOutcome.WrongCode)));

        // The token says it is an email challenge, so the store's verify decides in one statement, with no find first.
        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task ChallengeVerify_AuthenticatorCode_IsThreeStatements()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var (app, _) = await EnrolAsync(node, tenant, 1);
        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.VerifyAsync(tenant, token, app.CodeAt(node.Time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed)));

        // Reserve the attempt and read the enrolment (one batch), settle (advance the step, consume the challenge, reset the principal).
        Assert.That(cost, Is.EqualTo((2L, 3L)));
    }

    [Test]
    public async Task ChallengeVerify_RecoveryCode_IsThreeStatements()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var (_, recoveryCodes) = await EnrolAsync(node, tenant, 1);
        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.VerifyAsync(tenant, token, recoveryCodes[0])).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed)));

        // Reserve the attempt and read the codes with its lookup id (one batch), settle (mark it used, consume the challenge).
        Assert.That(cost, Is.EqualTo((2L, 3L)));
    }

    [TestCase(true, ChallengeVerifyOutcome.AlreadyUsed)]
    [TestCase(false, ChallengeVerifyOutcome.WrongCode)]
    public async Task ChallengeVerify_RecoveryCodeUsedOrWrong_IsTwoRoundTrips(bool used, ChallengeVerifyOutcome expected)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var (_, recoveryCodes) = await EnrolAsync(node, tenant, 1);
        if (used)
        {
            var first = (await node.Challenges.StartAsync(tenant, 1)).Token;
            Assert.That((await node.Challenges.VerifyAsync(tenant, first, recoveryCodes[0])).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        }

        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;
        var code = used ? recoveryCodes[0] : WrongRecoveryCode(recoveryCodes[0]);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(expected)));

        // Used and unused codes with the lookup id come in the reservation's batch: no second read for a copy or a wrong code.
        Assert.That(cost.RoundTrips, Is.EqualTo(2));
    }

    [Test]
    public async Task ChallengeStart_Authenticator_IsTwoRoundTrips_ResolveWithEnrolmentCreate()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await EnrolAsync(node, tenant, 1);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Factor, Is.EqualTo(FactorTypes.Totp)));

        Assert.That(cost, Is.EqualTo((2L, 3L)), "the resolve reads the enrolment in its statement; the create is a batch of two statements");
    }

    [Test]
    public async Task TotpTryAdvanceStep_IsOneConditionalStatementInOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var store = node.EnrollmentStore;
        var secret = RandomNumberGenerator.GetBytes(49);
        await store.SavePendingAsync(tenant, 1, secret, node.Time.GetUtcNow().AddMinutes(10), CancellationToken.None);
        await store.ActivatePendingAsync(tenant, 1, secret, 100, node.Time.GetUtcNow(), CancellationToken.None);

        // Each answer, accepted or refused, is the one conditional UPDATE (WHERE last_step < @step AND active_secret = @expected).
        Assert.That(await OneStatementAsync(node, async () => await store.TryAdvanceStepAsync(tenant, 1, secret, 101, CancellationToken.None)), Is.True, "a later step");
        Assert.That(await OneStatementAsync(node, async () => await store.TryAdvanceStepAsync(tenant, 1, secret, 101, CancellationToken.None)), Is.False, "the same step again");
        Assert.That(await OneStatementAsync(node, async () => await store.TryAdvanceStepAsync(tenant, 1, secret, 100, CancellationToken.None)), Is.False, "an earlier step");
        Assert.That(await OneStatementAsync(node, async () => await store.TryAdvanceStepAsync(tenant, 1, RandomNumberGenerator.GetBytes(49), 102, CancellationToken.None)), Is.False, "a secret replaced meanwhile");
        Assert.That(await OneStatementAsync(node, async () => await store.TryAdvanceStepAsync(tenant, 2, secret, 102, CancellationToken.None)), Is.False, "no enrolment");
        Assert.That((await store.GetAsync(tenant, 1, CancellationToken.None))!.LastAcceptedStep, Is.EqualTo(101));
    }

    [Test]
    public async Task ChallengeStoreOperations_EachOneStatementInOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var store = node.ChallengeStore;
        var now = node.Time.GetUtcNow();
        var limits = ChallengeLimits.From(new ChallengeOptions());
        var challenge = new NewChallenge(tenant, 1, FactorTypes.Totp, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), now, now.AddMinutes(15), now.AddMinutes(15), now.AddMinutes(15));
        Assert.That(await node.RoundTrips.CountAsync(async () => await store.CreateAsync(challenge, limits, CancellationToken.None)), Is.EqualTo((1L, 2L)), "create: lock the principal, then decide");

        Assert.That(await OneStatementAsync(node, async () => (await store.FindAsync(tenant, challenge.TokenHash, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Open), "find");
        Assert.That(await OneStatementAsync(node, async () => (await store.ReplaceCodeAsync(tenant, challenge.TokenHash, challenge.CodeDigest, now, now, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.NoCodeToSend), "resend of an authenticator challenge");
        Assert.That(await OneStatementAsync(node, async () => (await store.ReserveAsync(tenant, challenge.TokenHash, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Reserved), "reserve");
        Assert.That(await OneStatementAsync(node, async () => (await store.SettleAsync(tenant, challenge.TokenHash, ChallengeSettlement.Release, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Released), "settle: release");
        Assert.That(await OneStatementAsync(node, async () => (await store.ReserveAsync(tenant, challenge.TokenHash, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Reserved), "reserve again");
        Assert.That(await OneStatementAsync(node, async () => (await store.SettleAsync(tenant, challenge.TokenHash, ChallengeSettlement.PassWithTimeStep(RandomNumberGenerator.GetBytes(49), 7), now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Consumed), "settle: a step that cannot be spent");
        Assert.That(await OneStatementAsync(node, async () => (await store.ReserveAsync(tenant, challenge.TokenHash, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Reserved), "reserve a third time");
        Assert.That(await OneStatementAsync(node, async () => (await store.SettleAsync(tenant, challenge.TokenHash, ChallengeSettlement.Pass, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.Passed), "settle: pass");
        Assert.That(await OneStatementAsync(node, async () => await store.RedeemStepUpAsync(tenant, challenge.TokenHash, 1, now.AddMinutes(-5), now, CancellationToken.None)), Is.True, "step-up");
        Assert.That(await OneStatementAsync(node, async () => await store.RedeemStepUpAsync(tenant, challenge.TokenHash, 1, now.AddMinutes(-5), now, CancellationToken.None)), Is.False, "step-up again");
        Assert.That(await OneStatementAsync(node, async () => (await store.RecordFailureAsync(tenant, 1, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.WrongCode), "failure of a principal with a row");
        Assert.That(await OneStatementAsync(node, async () => (await store.RecordFailureAsync(tenant, 2, now, limits, CancellationToken.None)).Outcome), Is.EqualTo(ChallengeStoreOutcome.WrongCode), "failure of a principal without a row");
        Assert.That(await node.RoundTrips.CountAsync(async () => Assert.That(await store.RemovePrincipalAsync(tenant, 1, CancellationToken.None), Is.True)), Is.EqualTo((1L, 3L)), "remove a principal: lock, delete challenges, delete its row");
    }

    [Test]
    public async Task AuthenticatorStoreOperations_EachOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        var enrollments = node.EnrollmentStore;
        var recovery = node.RecoveryCodeStore;
        var now = node.Time.GetUtcNow();
        var secret = RandomNumberGenerator.GetBytes(49);
        var code = new RecoveryCodeHash("7K3M", RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32), 10_000);

        await OneStatementAsync(node, async () => { await enrollments.SavePendingAsync(tenant, 1, secret, now.AddMinutes(10), CancellationToken.None); return true; });
        Assert.That(await OneStatementAsync(node, async () => await enrollments.ActivatePendingAsync(tenant, 1, secret, 100, now, CancellationToken.None)), Is.True, "activate");
        Assert.That(await OneStatementAsync(node, async () => await enrollments.TryAdvanceStepAsync(tenant, 1, secret, 101, CancellationToken.None)), Is.True, "advance");
        Assert.That(await OneStatementAsync(node, async () => (await enrollments.GetAsync(tenant, 1, CancellationToken.None))!.LastAcceptedStep), Is.EqualTo(101), "get");
        Assert.That((await node.RoundTrips.CountAsync(async () => await recovery.ReplaceAsync(tenant, 1, [code], CancellationToken.None))), Is.EqualTo((1L, 3L)), "replace: lock, delete, insert");
        Assert.That(await OneStatementAsync(node, async () => (await recovery.FindUnusedAsync(tenant, 1, "7K3M", CancellationToken.None)).Count), Is.EqualTo(1), "find unused");
        Assert.That(await OneStatementAsync(node, async () => await recovery.TryMarkUsedAsync(tenant, 1, code, CancellationToken.None)), Is.True, "mark used");
        Assert.That(await OneStatementAsync(node, async () => await recovery.CountUnusedAsync(tenant, 1, CancellationToken.None)), Is.Zero, "count unused");
        Assert.That((await node.RoundTrips.CountAsync(async () => Assert.That(await recovery.DeleteAllAsync(tenant, 1, CancellationToken.None), Is.EqualTo(1)))), Is.EqualTo((1L, 2L)), "delete all: lock, delete");
        Assert.That(await OneStatementAsync(node, async () => await enrollments.DeleteAsync(tenant, 1, CancellationToken.None)), Is.True, "delete");
    }

    [Test]
    public async Task ChallengeVerify_UnknownToken_IsOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.VerifyAsync(tenant, new string('A', 43), "123456")).Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken)));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task ChallengeResend_IsOneStatementInOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);
        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;
        node.Time.Advance(TimeSpan.FromMinutes(1));

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.ResendAsync(tenant, token)).Outcome, Is.EqualTo(ChallengeResendOutcome.Sent)));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task ChallengeUnlockAndPurge_EachOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await AddEmailAccountAsync(node, tenant, 1);
        var token = (await node.Challenges.StartAsync(tenant, 1)).Token;
        await node.Challenges.VerifyAsync(tenant, token, WrongCode(node.Sender.LastCode(tenant, 1)));
        var store = node.Provider.GetRequiredService<IChallengeStore>();

        Assert.That((await node.RoundTrips.CountAsync(async () => Assert.That(await node.Administration.UnlockAsync(tenant, 1), Is.EqualTo(PrincipalUnlockOutcome.Unlocked)))).RoundTrips, Is.EqualTo(1), "unlock");
        Assert.That((await node.RoundTrips.CountAsync(async () => await store.PurgeExpiredAsync(node.Time.GetUtcNow(), 10, CancellationToken.None))).RoundTrips, Is.EqualTo(1), "purge");
    }

    private static async Task AddEmailAccountAsync(TestNode node, TenantId tenant, long id)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), Email)).Succeeded, Is.True);
    }

    /// <summary>Enrols an authenticator (the account allows it alone) and moves the clock past the confirming step.</summary>
    private static async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(TestNode node, TenantId tenant, long id)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        var app = TestAuthenticator.From(await node.Enrollment.BeginAsync(tenant, id, "Fleet", "driver"));
        var confirmed = await node.Enrollment.ConfirmAsync(tenant, id, app.CodeAt(node.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        node.Time.Advance(TimeSpan.FromSeconds(30));
        return (app, confirmed.RecoveryCodes);
    }

    /// <summary>Runs one store operation, asserts it took one statement in one round trip, and answers its result.</summary>
    private static async Task<T> OneStatementAsync<T>(TestNode node, Func<Task<T>> operation)
    {
        var result = default(T);
        var cost = await node.RoundTrips.CountAsync(async () => result = await operation());
        Assert.That(cost, Is.EqualTo((1L, 1L)));
        return result!;
    }

    /// <summary>The same lookup id (the leading group), a different secret part.</summary>
    private static string WrongRecoveryCode(string code) => string.Concat(code.Select((c, i) => i < code.Length - 1 ? c : c == '2' ? '3' : '2'));

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    private async Task<(TestNode Node, TenantId Tenant)> StartWarmNodeAsync()
    {
        var node = StartNode("round-trips");
        await node.Resolver.ResolveAsync(NewTenant(), 1);
        return (node, NewTenant());
    }

    private static async Task<List<string>> RowVersionsAsync(NpgsqlDataSource dataSource, TenantId tenant)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT principal_id::text || ':' || xmin::text FROM navixy_twofactor.principals WHERE tenant_id = $1 ORDER BY principal_id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        var versions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// A node's backend connection is terminated (<c>pg_terminate_backend</c>) while its operation waits, mid-statement,
/// behind a row lock a third connection holds. The operation fails with a <see cref="NpgsqlException"/>, nothing of
/// it stays written, and the node's next call succeeds on a fresh connection. A cancelled token fails the same way
/// with an <see cref="OperationCanceledException"/>. The challenge service answers such a failure <c>Failed</c>,
/// never passed, and the challenge keeps its attempts, sends and code.
/// </summary>
public sealed class PostgreSqlFaultTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    [Test]
    public async Task UpdateSelected_BackendTerminatedMidStatement_AnswersFailedAndWritesNothing()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);

        // The update waits for account 3, having perhaps stamped the others already.
        var update = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.principals WHERE tenant_id = $1 AND principal_id = 3 FOR UPDATE",
            tenant,
            token => node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email, cancellationToken: token).AsTask());

        Assert.That((await update).IsFailed, Is.True, "a store failure is the documented failure answer, never an exception");
        foreach (var id in ids)
        {
            var read = await node.Settings.ReadAsync(tenant, id);
            Assert.That((read.Setting, read.Source), Is.EqualTo((TwoFactorSetting.Disallowed, SettingSource.TenantDefault)), $"account {id}");
        }

        var retry = await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email);
        Assert.That((retry.Succeeded, retry.ChangedAccounts, retry.Version), Is.EqualTo((true, 3L, 4L)), "the next call succeeds, with the version the failed one did not take");
    }

    [Test]
    public async Task UpdateAll_BackendTerminatedWhileWaitingForTheTenant_AnswersFailedAndWritesNothing()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 3);

        var enforce = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.tenants WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            token => node.Settings.EnforceForEveryoneAsync(tenant, Email, cancellationToken: token).AsTask());

        Assert.That((await enforce).IsFailed, Is.True, "a store failure is the documented failure answer, never an exception");
        Assert.That(await node.Settings.ReadDefaultAsync(tenant), Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That((await node.Resolver.ResolveAsync(tenant, 1)).Outcome, Is.EqualTo(RequirementOutcome.NotRequired));

        var retry = await node.Settings.EnforceForEveryoneAsync(tenant, Email);
        Assert.That((retry.Succeeded, retry.ChangedAccounts, retry.Version), Is.EqualTo((true, 3L, 4L)));
        Assert.That((await node.Resolver.ResolveAsync(tenant, 1)).Outcome, Is.EqualTo(RequirementOutcome.Required));
    }

    [Test]
    public async Task RegisterAccount_BackendTerminatedWhileWaitingForTheTenant_AnswersStoreFailedAndRegistersNothing()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);

        var register = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.tenants WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            token => node.Directory.RegisterAccountAsync(tenant, 2, cancellationToken: token).AsTask());

        Assert.That((await register).Error, Is.EqualTo(DirectoryErrorCode.StoreFailed), "a store failure is the documented failure answer, never an exception");
        Assert.That((await node.Resolver.ResolveAsync(tenant, 2)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        var retry = await node.Directory.RegisterAccountAsync(tenant, 2);
        Assert.That((retry.Succeeded, retry.Account.Version), Is.EqualTo((true, 2L)));
    }

    [Test]
    public async Task UpdateSelected_CancelledWhileWaiting_ThrowsOperationCanceledAndWritesNothing()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);

        var error = await InterruptWhileBlockedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.principals WHERE tenant_id = $1 AND principal_id = 3 FOR UPDATE",
            tenant,
            token => node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email, cancellationToken: token).AsTask(),
            cancel: true);

        Assert.That(error, Is.InstanceOf<OperationCanceledException>());
        foreach (var id in ids)
        {
            Assert.That((await node.Settings.ReadAsync(tenant, id)).Setting, Is.EqualTo(TwoFactorSetting.Disallowed), $"account {id}");
        }

        var retry = await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email);
        Assert.That((retry.Succeeded, retry.ChangedAccounts, retry.Version), Is.EqualTo((true, 3L, 4L)));
    }

    [Test]
    public async Task ChallengeVerify_BackendTerminatedWhileWaitingForTheChallenge_AnswersFailedAndSpendsNothing()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        var (token, code) = await StartChallengeAsync(node, tenant, 7);

        var verify = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.challenges WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            cancellation => node.Challenges.VerifyAsync(tenant, token, code, cancellation).AsTask());

        Assert.That((await verify).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed), "the right code, but never Passed");
        Assert.That(await ChallengeStateAsync(tenant), Is.EqualTo((0, 1, false, 0)), "attempts, sends, consumed, principal failures");
        Assert.That((await node.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "the next call works");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ChallengeVerify_BackendTerminatedWhileWaitingForThePrincipal_AnswersFailedAndSpendsNothing(bool rightCode)
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        var (token, code) = await StartChallengeAsync(node, tenant, 7);

        // The statement has locked the challenge and waits for the principal's row: its whole work is undone.
        var verify = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.principal_lockouts WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            cancellation => node.Challenges.VerifyAsync(tenant, token, rightCode ? code : WrongCode(code), cancellation).AsTask());

        Assert.That((await verify).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(await ChallengeStateAsync(tenant), Is.EqualTo((0, 1, false, 0)), "attempts, sends, consumed, principal failures");
        Assert.That((await node.Challenges.VerifyAsync(tenant, token, WrongCode(code))).AttemptsLeft, Is.EqualTo(4), "the failed call spent no attempt");
        Assert.That((await node.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task ChallengeStoreVerify_BackendTerminated_ThrowsTheDocumentedException()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        await StartChallengeAsync(node, tenant, 7);
        var store = node.Provider.GetRequiredService<IChallengeStore>();
        var limits = ChallengeLimits.From(new ChallengeOptions());
        var tokenHash = await ScalarAsync<byte[]>("SELECT token_hash FROM navixy_twofactor.challenges WHERE tenant_id = $1", tenant);

        var error = await InterruptWhileBlockedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.challenges WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            cancellation => store.VerifyAsync(tenant, tokenHash, new byte[32], node.Time.GetUtcNow(), limits, cancellation).AsTask());

        AssertTerminated(error);
        Assert.That(await ChallengeStateAsync(tenant), Is.EqualTo((0, 1, false, 0)));
    }

    [Test]
    public async Task ChallengeResend_BackendTerminatedMidStatement_AnswersFailedAndKeepsTheCode()
    {
        var node = StartNode("fault");
        var tenant = NewTenant();
        var (token, code) = await StartChallengeAsync(node, tenant, 7);
        node.Time.Advance(TimeSpan.FromMinutes(1));

        var resend = await RunInterruptedAsync(
            node,
            "SELECT 1 FROM navixy_twofactor.principal_lockouts WHERE tenant_id = $1 FOR UPDATE",
            tenant,
            cancellation => node.Challenges.ResendAsync(tenant, token, cancellation).AsTask());

        Assert.That((await resend).Outcome, Is.EqualTo(ChallengeResendOutcome.Failed));
        Assert.That(node.Sender.CountFor(tenant, 7), Is.EqualTo(1), "nothing was sent");
        Assert.That(await ChallengeStateAsync(tenant), Is.EqualTo((0, 1, false, 0)));
        Assert.That((await node.Challenges.VerifyAsync(tenant, token, code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "the first code still stands");
    }

    private static async Task<(string Token, string Code)> StartChallengeAsync(TestNode node, TenantId tenant, long id)
    {
        await node.RegisterAccountsAsync(tenant, id, 1);
        await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(id), Email);
        var started = await node.Challenges.StartAsync(tenant, id);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, node.Sender.LastCode(tenant, id));
    }

    /// <summary>The tenant's only challenge and its principal, as stored: (attempts, sends, consumed, principal failures).</summary>
    private static async Task<(int Attempts, int Sends, bool Consumed, int Failures)> ChallengeStateAsync(TenantId tenant)
    {
        await using var dataSource = PostgreSqlTestDatabase.CreateDataSource("fault-check");
        await using var command = dataSource.CreateCommand("""
            SELECT c.attempts, c.sends, c.consumed_at IS NOT NULL, p.failures
            FROM navixy_twofactor.challenges AS c
            JOIN navixy_twofactor.principal_lockouts AS p ON p.tenant_id = c.tenant_id AND p.principal_id = c.principal_id
            WHERE c.tenant_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "the challenge is still there");
        var state = (reader.GetInt32(0), reader.GetInt32(1), reader.GetBoolean(2), reader.GetInt32(3));
        Assert.That(await reader.ReadAsync(), Is.False, "one challenge");
        return state;
    }

    private static async Task<T> ScalarAsync<T>(string sql, TenantId tenant)
    {
        await using var dataSource = PostgreSqlTestDatabase.CreateDataSource("fault-check");
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    /// <summary>The documented failure: an <see cref="NpgsqlException"/>; here the server's own report of the termination.</summary>
    private static void AssertTerminated(Exception? error)
    {
        Assert.That(error, Is.InstanceOf<NpgsqlException>());
        Assert.That(error, Is.InstanceOf<PostgresException>().With.Property(nameof(PostgresException.SqlState)).EqualTo(PostgresErrorCodes.AdminShutdown));
    }

    /// <summary>
    /// Holds <paramref name="lockSql"/>'s lock on a third connection, starts <paramref name="operation"/>, waits until
    /// the node's backend waits for that lock, then terminates the backend (or, with <paramref name="cancel"/>,
    /// cancels the operation's token instead), releases the lock and returns what the operation threw.
    /// </summary>
    private static async Task<Exception?> InterruptWhileBlockedAsync<T>(TestNode node, string lockSql, TenantId tenant, Func<CancellationToken, Task<T>> operation, bool cancel = false)
    {
        var running = await RunInterruptedAsync(node, lockSql, tenant, operation, cancel);
        return Assert.CatchAsync(async () => await running);
    }

    /// <summary>
    /// As <see cref="InterruptWhileBlockedAsync"/>, for an operation that answers rather than throws: returns the
    /// operation, completed (or faulted), after the lock is released.
    /// </summary>
    private static async Task<Task<T>> RunInterruptedAsync<T>(TestNode node, string lockSql, TenantId tenant, Func<CancellationToken, Task<T>> operation, bool cancel = false)
    {
        await using var admin = PostgreSqlTestDatabase.CreateDataSource("fault-admin");
        await using var blocker = await admin.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(lockSql, blocker, transaction))
        {
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
            await hold.ExecuteNonQueryAsync();
        }

        using var cancellation = new CancellationTokenSource();
        var running = operation(cancellation.Token);
        var backend = await WaitForLockWaitAsync(admin, node.ApplicationName);
        if (cancel)
        {
            await cancellation.CancelAsync();
        }
        else
        {
            await using var terminate = admin.CreateCommand("SELECT pg_terminate_backend($1)");
            terminate.Parameters.Add(new NpgsqlParameter<int> { TypedValue = backend });
            Assert.That(await terminate.ExecuteScalarAsync(), Is.True);
        }

        await ((Task)running).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await transaction.RollbackAsync();
        return running;
    }

    /// <summary>The process id of the node's backend once it waits for a lock; polls the server, bounded.</summary>
    private static async Task<int> WaitForLockWaitAsync(NpgsqlDataSource admin, string applicationName)
    {
        await using var command = admin.CreateCommand("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        for (var attempt = 0; attempt < 1500; attempt++)
        {
            if (await command.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"{applicationName} never waited for the lock.");
        return 0;
    }
}

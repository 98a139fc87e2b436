using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// A settings change and its audit-trail entry commit together (policy.md A2, security.md item 38): a trigger on
/// <c>audit_entries</c> terminates the node's own backend after the change's rows are written and before its entry is,
/// and afterwards neither the change nor the entry is there. The trigger fires only for the node's connections (by
/// application name), so nothing else sharing the database is touched.
/// </summary>
public sealed class PostgreSqlAuditTrailFaultTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    public enum Operation
    {
        UpdateAll,
        UpdateSelected,
        UpdateDefault,
        EnforceForEveryone,
        ScheduleUpdateSelected,
        ScheduleEnforceForEveryone,
        CancelScheduled,
    }

    [TestCase(Operation.UpdateAll)]
    [TestCase(Operation.UpdateSelected)]
    [TestCase(Operation.UpdateDefault)]
    [TestCase(Operation.EnforceForEveryone)]
    [TestCase(Operation.ScheduleUpdateSelected)]
    [TestCase(Operation.ScheduleEnforceForEveryone)]
    [TestCase(Operation.CancelScheduled)]
    [Description("A2 The connection dies between a settings change (scheduling and cancelling included, A1) and its entry: neither is there, and the next call writes both.")]
    public async Task A2_ConnectionKilledBetweenChangeAndEntry_LeavesNeither(Operation operation)
    {
        var node = StartNode("audit-fault");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);
        var pending = await PrepareAsync(node, tenant, operation);
        var entriesBefore = (await node.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant)).Entries!.Count;
        var stateBefore = await StateAsync(node, tenant, ids);
        SettingsUpdateResult killed = SettingsUpdateResult.Applied(0, 0);
        await KilledBeforeTheEntryAsync(node, async () => killed = await AnswerAsync(node, tenant, ids, operation, pending));

        Assert.That(killed.IsFailed, Is.True, $"the store failure is the documented failure answer, never an exception: {killed}");
        Assert.That(await StateAsync(node, tenant, ids), Is.EqualTo(stateBefore), "no change without its entry");
        var trail = await node.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant);
        Assert.That(trail.Entries, Has.Count.EqualTo(entriesBefore), "no entry without its change");

        var retry = await RunAsync(node, tenant, ids, operation, pending);
        trail = await node.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant);
        Assert.That(trail.Entries!.Select(e => e.Version).Take(trail.Entries!.Count - entriesBefore), Is.EqualTo(new[] { retry.Version }), "the next call writes both");
        Assert.That(await StateAsync(node, tenant, ids), Is.Not.EqualTo(stateBefore));
    }

    [Test]
    [Description("A2 An admin reset and its entry commit together: killed in between, the authenticator and its recovery codes are still there.")]
    public async Task A2_ConnectionKilledBetweenAdminResetAndEntry_LeavesNeither()
    {
        var node = StartNode("audit-fault-reset", options: o => o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations);
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        var app = TestAuthenticator.From(await node.Enrollment.BeginAsync(tenant, 1, "Fleet", "driver"));
        Assert.That((await node.Enrollment.ConfirmAsync(tenant, 1, app.CodeAt(node.Time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        var trail = node.Provider.GetRequiredService<ITwoFactorAuditTrail>();
        var entriesBefore = (await trail.ReadAsync(tenant)).Entries!.Count;

        TotpEnrollmentResult reset = default;
        await KilledBeforeTheEntryAsync(node, async () => reset = await node.Administration.ResetAsync(tenant, 1));

        Assert.That(reset.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Failed), "a store failure answers Failed");
        Assert.That(await node.Enrollment.GetStatusAsync(tenant, 1), Is.EqualTo(new TotpEnrollmentStatus(true, false, 10)), "no reset without its entry");
        Assert.That((await trail.ReadAsync(tenant)).Entries!, Has.Count.EqualTo(entriesBefore), "no entry without its reset");
        Assert.That((await node.Administration.ResetAsync(tenant, 1)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        Assert.That((await trail.ReadAsync(tenant)).Entries![0].Operation, Is.EqualTo(AuditOperation.AdminReset));
    }

    [Test]
    [Description("A2 A new remember period and forgetting devices commit with their entries: killed in between, the period and the devices are as they were.")]
    public async Task A2_ConnectionKilledBetweenDeviceChangeAndEntry_LeavesNeither()
    {
        var node = StartNode("audit-fault-devices");
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email)).Succeeded, Is.True);
        var devices = node.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
        Assert.That(await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(30)), Is.True);
        var started = await node.Challenges.StartAsync(tenant, 1);
        Assert.That((await node.Challenges.VerifyAsync(tenant, started.Token, node.Sender.LastCode(tenant, 1))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await devices.RememberAsync(tenant, 1, started.Token)).Succeeded, Is.True);
        var trail = node.Provider.GetRequiredService<ITwoFactorAuditTrail>();
        var entriesBefore = (await trail.ReadAsync(tenant)).Entries!.Count;

        bool? periodSet = true;
        int? forgotten = 0;
        await KilledBeforeTheEntryAsync(node, async () =>
        {
            periodSet = await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(1));
            forgotten = await devices.ForgetAllAsync(tenant, 1);
        });

        Assert.That(periodSet, Is.Null, "a store failure is the documented failure answer, never an exception");
        Assert.That(forgotten, Is.Null, "a store failure is the documented failure answer, never an exception");
        Assert.That(await devices.GetRememberPeriodAsync(tenant), Is.EqualTo(TimeSpan.FromDays(30)), "no new period without its entry");
        Assert.That(await devices.ListAsync(tenant, 1), Has.Count.EqualTo(1), "no device forgotten without its entry");
        Assert.That((await trail.ReadAsync(tenant)).Entries!, Has.Count.EqualTo(entriesBefore), "no entry without its change");
        Assert.That(await devices.ForgetAllAsync(tenant, 1), Is.EqualTo(1));
        Assert.That((await trail.ReadAsync(tenant)).Entries![0].Operation, Is.EqualTo(AuditOperation.DevicesForgotten));
    }

    [Test]
    [Description("A2 A settings change with its entry is one statement: one round trip, as before the trail.")]
    public async Task A2_SettingsChangeWithItsEntry_IsOneRoundTrip()
    {
        var node = StartNode("audit-round-trips");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);

        foreach (var operation in Enum.GetValues<Operation>())
        {
            var pending = await PrepareAsync(node, tenant, operation);
            var (roundTrips, _) = await node.RoundTrips.CountAsync(() => RunAsync(node, tenant, ids, operation, pending));
            Assert.That(roundTrips, Is.EqualTo(1), operation.ToString());
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> with a trigger on <c>audit_entries</c> that terminates the node's own backend when
    /// the entry is about to be inserted (after the change's rows).
    /// </summary>
    private static async Task KilledBeforeTheEntryAsync(TestNode node, Func<Task> operation)
    {
        await using var admin = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        var function = "kill_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"""
            CREATE FUNCTION navixy_twofactor.{function}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF current_setting('application_name') = '{node.ApplicationName}' THEN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                END IF;
                RETURN NEW;
            END
            $f$;
            CREATE TRIGGER {function} BEFORE INSERT ON navixy_twofactor.audit_entries FOR EACH ROW EXECUTE FUNCTION navixy_twofactor.{function}();
            """);
        try
        {
            await operation();
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP TRIGGER {function} ON navixy_twofactor.audit_entries; DROP FUNCTION navixy_twofactor.{function}();");
        }
    }

    private static async Task<SettingsUpdateResult> RunAsync(TestNode node, TenantId tenant, long[] ids, Operation operation, long pending)
    {
        var result = await AnswerAsync(node, tenant, ids, operation, pending);
        Assert.That(result.Succeeded, Is.True, result.ToString());
        return result;
    }

    private static async Task<SettingsUpdateResult> AnswerAsync(TestNode node, TenantId tenant, long[] ids, Operation operation, long pending) =>
        operation switch
        {
            Operation.UpdateAll => await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email),
            Operation.UpdateSelected => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email),
            Operation.UpdateDefault => await node.Settings.UpdateDefaultAsync(tenant, Email),
            Operation.EnforceForEveryone => await node.Settings.EnforceForEveryoneAsync(tenant, Email),
            Operation.ScheduleUpdateSelected => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email, effectiveFrom: node.Time.GetUtcNow().AddDays(1)),
            Operation.ScheduleEnforceForEveryone => await node.Settings.EnforceForEveryoneAsync(tenant, Email, effectiveFrom: node.Time.GetUtcNow().AddDays(1)),
            _ => await node.Settings.CancelScheduledAsync(tenant, pending),
        };

    /// <summary>What an operation needs first: a pending change to cancel, whose id it answers (0 for other operations).</summary>
    private static async Task<long> PrepareAsync(TestNode node, TenantId tenant, Operation operation)
    {
        if (operation != Operation.CancelScheduled)
        {
            return 0;
        }

        var scheduled = await node.Settings.UpdateDefaultAsync(tenant, Email, effectiveFrom: node.Time.GetUtcNow().AddHours(1));
        Assert.That(scheduled.Scheduled, Is.Not.Null, scheduled.ToString());
        return scheduled.Scheduled!.Id;
    }

    private static async Task<string> StateAsync(TestNode node, TenantId tenant, long[] ids)
    {
        var parts = new List<string> { (await node.Settings.ReadDefaultAsync(tenant) ?? throw new InvalidOperationException("a store failed")).ToString() };
        parts.AddRange((await node.Settings.ListScheduledAsync(tenant))!.Select(c => c.ToString()));
        foreach (var id in ids)
        {
            parts.Add((await node.Settings.ReadAsync(tenant, id)).ToString());
        }

        return string.Join("|", parts);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

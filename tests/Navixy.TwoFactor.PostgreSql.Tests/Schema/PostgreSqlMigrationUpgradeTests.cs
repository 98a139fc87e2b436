using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Schema;

/// <summary>
/// Upgrading a database that holds data, in a schema of its own that the test drops afterwards. The rows of an earlier
/// release are made by the engine on the latest schema, which is then taken back to the earlier version by dropping what
/// the later steps added: that leaves exactly the earlier tables, holding the rows the earlier release wrote (every
/// column the earlier release had is one it wrote the same way). Account 7 has email challenges (passed, open, failing)
/// and a failure count; from version 3 on, account 8 has an authenticator (with its confirmation challenge), recovery
/// codes and a passed challenge.
/// </summary>
public sealed partial class PostgreSqlMigrationUpgradeTests : PostgreSqlFixture
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private string? _schema;

    [SetUp]
    public void NewSchema() => _schema = PostgreSqlTestDatabase.NewSchemaName("upgrade");

    [TearDown]
    public async Task DropSchema()
    {
        await StopNodes();
        await PostgreSqlTestDatabase.DropSchemaAsync(_schema!);
    }

    [TestCase(2)]
    [TestCase(3)]
    public async Task MigrateAsync_FromAnEarlierVersionWithRows_KeepsEveryRowAndItsMeaning(int version)
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-upgrade", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        var authenticator = version >= 3 ? await WriteAuthenticatorRowsAsync(before, tenant) : default;
        var email = await WriteEmailRowsAsync(before, tenant);
        await before.DisposeAsync();
        await DowngradeAsync(version);
        var kept = await RowsAsync(version);

        var after = StartNode("after-upgrade", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > version)), "only the missing steps");
        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        Assert.That(await RowsAsync(version), Is.EqualTo(kept), "every row kept as it was");
        var challenges = await CountAsync($"SELECT count(*) FROM \"{_schema}\".challenges");
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".challenges WHERE pending = 0 AND pending_until = 0"), Is.EqualTo(challenges), "no reservation held");
        Assert.That(await CountAsync($"SELECT count(DISTINCT seq) FROM \"{_schema}\".challenges"), Is.EqualTo(challenges), "each challenge numbered");
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".principal_lockouts WHERE last_sent_at IS NULL"), Is.EqualTo(version == 2 ? 1 : 2), "no send on record");

        // No send on record: a start right after the upgrade sends, and the next one within the minute does not.
        time.Advance(TimeSpan.FromMinutes(1));
        var (token, code) = await StartAsync(after, tenant, 7);
        Assert.That((await after.Challenges.StartAsync(tenant, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.TooSoon));

        // The failure count survived: three before the upgrade, six after, and the tenth locks.
        for (var i = 0; i < 2; i++)
        {
            Assert.That((await after.Challenges.VerifyAsync(tenant, email.Failing.Token, WrongCode(email.Failing.Code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"failure {4 + i}");
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.That((await after.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"failure {6 + i}");
        }

        Assert.That((await after.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked), "failure 10");
        Assert.That(await after.Administration.UnlockAsync(tenant, 7), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));

        // A challenge opened before the upgrade passes after it.
        Assert.That((await after.Challenges.VerifyAsync(tenant, email.Open.Token, email.Open.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        if (version < 3)
        {
            // One passed before the upgrade to version 3 is proof of a second step, once.
            Assert.That((await after.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp))).Succeeded, Is.True);
            var begun = await after.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver", email.Passed);
            Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun), "the pass redeemed as step-up");
            var app = TestAuthenticator.From(begun);
            Assert.That((await after.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
            Assert.That((await after.Enrollment.DisableAsync(tenant, 7, email.Passed)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
            return;
        }

        // The enrolment, its recovery codes and its passed challenge work as before.
        Assert.That((await LoginAsync(after, tenant, 8, authenticator.App.CodeAt(time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await LoginAsync(after, tenant, 8, authenticator.RecoveryCodes[0])).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await after.Enrollment.RegenerateRecoveryCodesAsync(tenant, 8, authenticator.Passed)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated));
        Assert.That((await after.Enrollment.DisableAsync(tenant, 8, authenticator.Passed)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
    }

    [Test]
    [Description("Migration 5 (S11) on a version 4 schema keeps every row of every table, and scheduling works after it")]
    public async Task MigrateAsync_FromVersion4WithRows_KeepsEveryRowOfEveryTable_AndSchedulesApply()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-schedules", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        await WriteAuthenticatorRowsAsync(before, tenant);
        await WriteEmailRowsAsync(before, tenant);
        await before.Directory.RegisterAccountAsync(tenant, 30, AccountOrigin.Imported, isDemo: true);
        await before.Directory.RegisterSubUserAsync(tenant, 31, 30);
        await before.Settings.UpdateDefaultAsync(tenant, TwoFactorSetting.Allowed(FactorTypes.Email));
        await before.DisposeAsync();
        await DowngradeAsync(4);
        var tables = new[] { "tenants", "principals", "challenges", "principal_lockouts", "totp_enrollments", "recovery_codes" };
        var kept = await AllRowsAsync(tables);

        var after = StartNode("after-schedules", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > 4)), "only the missing steps");
        Assert.That(await AllRowsAsync(tables), Is.EqualTo(kept), "every row kept as it was");
        Assert.That(kept, Has.Count.GreaterThan(10));
        var scheduled = await after.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Totp), effectiveFrom: time.GetUtcNow().AddHours(1));
        Assert.That(scheduled.Scheduled, Is.Not.Null, scheduled.ToString());
        time.Advance(TimeSpan.FromHours(1));
        Assert.That((await after.Resolver.ResolveAsync(tenant, 7)).Factors, Is.EqualTo(FactorTypes.Totp));
        await after.Directory.RegisterAccountAsync(tenant, 40);
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".scheduled_changes"), Is.Zero, "folded in by the next write");
        Assert.That((await after.Resolver.ResolveAsync(tenant, 7)).Factors, Is.EqualTo(FactorTypes.Totp));
    }

    [Test]
    [Description("A1 D1 Upgrading the current schema (version 4) with rows keeps every row; the audit trail and the remembered devices start empty and work.")]
    public async Task MigrateAsync_FromVersion4WithRows_KeepsEveryRow_AndTheTrailAndDevicesWork()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-upgrade", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        var authenticator = await WriteAuthenticatorRowsAsync(before, tenant);
        var email = await WriteEmailRowsAsync(before, tenant);
        await before.DisposeAsync();
        await DowngradeAsync(4);
        var kept = await RowsAsync(4);

        var after = StartNode("after-upgrade", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > 4)), "only the missing steps");
        Assert.That(await RowsAsync(4), Is.EqualTo(kept), "every row kept as it was");
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".audit_entries"), Is.Zero);
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".remembered_devices"), Is.Zero);

        // Rows of the earlier release still answer as before, and a change now leaves its entry.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await after.Challenges.VerifyAsync(tenant, email.Open.Token, email.Open.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await LoginAsync(after, tenant, 8, authenticator.App.CodeAt(time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        var update = await after.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp));
        var trail = await after.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant);
        Assert.That(trail.Entries!.Select(e => e.Version), Is.EqualTo(new[] { update.Version }));
    }

    /// <summary>Every audit-trail entry as text, by the columns a version 6 schema has, oldest first.</summary>
    private string Version6EntriesSql =>
        $"SELECT (tenant_id, seq, moment, actor, operation, principal_id, account_ids, setting_before, setting_after, default_before, accounts_before, version, factor, detail)::text FROM \"{_schema}\".audit_entries ORDER BY seq";

    [Test]
    [Description("A1 S11 Migration 9 on a version 6 schema keeps every row (audit entries, a pending change, devices' periods); old entries read as applied when accepted, and scheduling and cancelling are audited after it.")]
    public async Task A1_MigrateAsync_FromVersion6WithRows_KeepsEveryRow_AndSchedulingIsAudited()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-schedule-entries", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        await before.RegisterAccountsAsync(tenant, 1, 2);
        var all = await before.Settings.UpdateAsync(tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Email));
        await before.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Totp));
        var pending = await before.Settings.UpdateDefaultAsync(tenant, TwoFactorSetting.Allowed(FactorTypes.Email), effectiveFrom: Epoch.AddDays(1));
        Assert.That(await before.Provider.GetRequiredService<Navixy.TwoFactor.Devices.ITwoFactorRememberedDevices>().SetRememberPeriodAsync(tenant, TimeSpan.FromDays(7)), Is.True);
        await before.DisposeAsync();
        await DowngradeAsync(6);
        var tables = new[] { "tenants", "principals", "scheduled_changes", "remember_periods" };
        var entriesSql = Version6EntriesSql;
        var kept = await AllRowsAsync(tables);
        var keptEntries = await TextRowsAsync(entriesSql);

        var after = StartNode("after-schedule-entries", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > 6)), "only the missing steps");
        Assert.That(await AllRowsAsync(tables), Is.EqualTo(kept), "every row kept as it was");
        Assert.That(await TextRowsAsync(entriesSql), Is.EqualTo(keptEntries), "every entry kept as it was");
        Assert.That(keptEntries, Has.Count.EqualTo(4));
        var trail = after.Provider.GetRequiredService<ITwoFactorAuditTrail>();
        var old = (await trail.ReadAsync(tenant)).Entries!;
        Assert.That(old.Select(e => (e.EffectiveFrom, e.CancelledOperation)), Is.All.EqualTo(((DateTimeOffset?)null, Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.None)), "an entry of the earlier release: applied when accepted");
        Assert.That(old[^1].Version, Is.EqualTo(all.Version));

        var cancel = await after.Settings.CancelScheduledAsync(tenant, pending.Scheduled!.Id);
        var scheduled = await after.Settings.UpdateAsync(tenant, SettingsTarget.All, TwoFactorSetting.Disallowed, effectiveFrom: Epoch.AddDays(2));
        var latest = (await trail.ReadAsync(tenant)).Entries!;

        Assert.That(cancel.Succeeded, Is.True, cancel.ToString());
        Assert.That(latest.Take(2).Select(e => (e.Operation, e.EffectiveFrom, e.CancelledOperation)), Is.EqualTo(new[]
        {
            (Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.UpdateAll, (DateTimeOffset?)Epoch.AddDays(2), Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.None),
            (Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.ScheduledChangeCancelled, (DateTimeOffset?)Epoch.AddDays(1), Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.UpdateDefault),
        }));
        Assert.That(latest[0].Version, Is.EqualTo(scheduled.Scheduled!.Id));
    }

    [Test]
    [Description("G1 Migration 7 on a version 6 schema with rows in every table (audit entries, remembered devices, a remember period, schedules) keeps every row; enrolment periods start empty and work.")]
    public async Task MigrateAsync_FromVersion6WithRows_KeepsEveryRowOfEveryTable_AndEnrolmentPeriodsWork()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-enrolment-periods", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        await WriteAuthenticatorRowsAsync(before, tenant);
        await WriteEmailRowsAsync(before, tenant);
        var devices = before.Provider.GetRequiredService<Navixy.TwoFactor.Devices.ITwoFactorRememberedDevices>();
        Assert.That(await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(30)), Is.True);
        time.Advance(TimeSpan.FromMinutes(1));
        var pass = await StartAsync(before, tenant, 7);
        Assert.That((await before.Challenges.VerifyAsync(tenant, pass.Token, pass.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        var device = await devices.RememberAsync(tenant, 7, pass.Token, "Firefox");
        Assert.That(device.Succeeded, Is.True, device.ToString());
        await before.Settings.UpdateAsync(tenant, SettingsTarget.Selected(8), TwoFactorSetting.Allowed(FactorTypes.Email), effectiveFrom: time.GetUtcNow().AddDays(1));
        await before.Directory.RegisterAccountAsync(tenant, 9);
        Assert.That((await before.Settings.UpdateAsync(tenant, SettingsTarget.Selected(9), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        await before.DisposeAsync();
        await DowngradeAsync(6);
        var tables = new[]
        {
            "tenants", "principals", "challenges", "principal_lockouts", "totp_enrollments", "recovery_codes", "scheduled_changes",
            "remembered_devices", "remember_periods",
        };
        var kept = await AllRowsAsync(tables);
        var keptEntries = await TextRowsAsync(Version6EntriesSql);

        var after = StartNode("after-enrolment-periods", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > 6)), "only the missing steps");
        Assert.That(await AllRowsAsync(tables), Is.EqualTo(kept), "every row kept as it was");
        Assert.That(kept.Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]).Distinct(), Is.EquivalentTo(tables), "rows in every table");
        Assert.That(await TextRowsAsync(Version6EntriesSql), Is.EqualTo(keptEntries), "every audit entry kept as it was (migration 9 adds columns)");
        Assert.That(keptEntries, Is.Not.Empty);
        Assert.That((await after.Challenges.StartAsync(tenant, 7, device.Token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "a device of the earlier release still honoured");
        Assert.That((await after.Challenges.StartAsync(tenant, 9)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired), "no period yet");
        var periods = after.Provider.GetRequiredService<ITwoFactorEnrollmentPeriods>();
        Assert.That(await periods.SetPeriodAsync(tenant, TimeSpan.FromDays(7)), Is.True);
        var enrolNow = await after.Challenges.StartAsync(tenant, 9);
        Assert.That((enrolNow.Outcome, enrolNow.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)(time.GetUtcNow() + TimeSpan.FromDays(7)))));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(6)]
    public async Task GenerateScript_OnAnEarlierSchema_AppliesOnlyTheMissingSteps(int version)
    {
        var node = StartNode("script");
        var migrator = node.Provider.GetRequiredService<IPostgreSqlMigrator>();
        await migrator.MigrateAsync();
        await DowngradeAsync(version);

        await ExecuteAsync(migrator.GenerateScript());

        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".schema_version"), Is.EqualTo(PostgreSqlMigrations.All.Count), "each step recorded once");
        Assert.That(await migrator.MigrateAsync(), Is.Zero);
    }

    /// <summary>Every node of this fixture uses the test's own schema.</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        base.ConfigureStores(builder);
        builder.Services.Configure<PostgreSqlStoreOptions>(o => o.Schema = _schema!);
    }

    /// <summary>Account 8 (at the epoch): an authenticator with recovery codes, and a challenge passed with it.</summary>
    private static async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes, string Passed)> WriteAuthenticatorRowsAsync(TestNode node, TenantId tenant)
    {
        await node.RegisterAccountsAsync(tenant, 8, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(8), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        var begun = await node.Enrollment.BeginAsync(tenant, 8, "Fleet", "driver");
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        var app = TestAuthenticator.From(begun);
        var confirmed = await node.Enrollment.ConfirmAsync(tenant, 8, app.CodeAt(node.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        node.Time.Advance(Step);
        var started = await node.Challenges.StartAsync(tenant, 8);
        Assert.That((await node.Challenges.VerifyAsync(tenant, started.Token, app.CodeAt(node.Time.GetUtcNow()))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        return (app, confirmed.RecoveryCodes, started.Token!);
    }

    /// <summary>Account 7, a minute apart: a passed challenge, an open one, and one with three wrong codes.</summary>
    private static async Task<(string Passed, (string Token, string Code) Open, (string Token, string Code) Failing)> WriteEmailRowsAsync(TestNode node, TenantId tenant)
    {
        await node.RegisterAccountsAsync(tenant, 7, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
        var passed = await StartAsync(node, tenant, 7);
        Assert.That((await node.Challenges.VerifyAsync(tenant, passed.Token, passed.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        node.Time.Advance(TimeSpan.FromMinutes(1));
        var open = await StartAsync(node, tenant, 7);
        node.Time.Advance(TimeSpan.FromMinutes(1));
        var failing = await StartAsync(node, tenant, 7);
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await node.Challenges.VerifyAsync(tenant, failing.Token, WrongCode(failing.Code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        }

        return (passed.Token, open, failing);
    }

    /// <summary>Takes the schema back to <paramref name="version"/> by dropping what each later step added, newest first.</summary>
    private async Task DowngradeAsync(int version)
    {
        var s = $"\"{_schema}\"";
        if (version < 9)
        {
            await ExecuteAsync($"""
                ALTER TABLE {s}.audit_entries DROP COLUMN effective_at, DROP COLUMN cancelled_operation;
                DELETE FROM {s}.schema_version WHERE version = 9;
                """);
        }

        if (version < 8)
        {
            await ExecuteAsync($"""
                DROP INDEX {s}.remembered_devices_issued_idx;
                DELETE FROM {s}.schema_version WHERE version = 8;
                """);
        }

        if (version < 7)
        {
            await ExecuteAsync($"""
                DROP TABLE {s}.enrollment_periods, {s}.enrollment_period_starts;
                DELETE FROM {s}.schema_version WHERE version = 7;
                """);
        }

        if (version < 6)
        {
            await ExecuteAsync($"""
                DROP TABLE {s}.audit_entries, {s}.remembered_devices, {s}.remember_periods;
                DELETE FROM {s}.schema_version WHERE version = 6;
                """);
        }

        if (version < 5)
        {
            await ExecuteAsync($"""
                DROP FUNCTION {s}.apply_due_changes(bigint, bigint);
                DROP TABLE {s}.scheduled_changes;
                DELETE FROM {s}.schema_version WHERE version = 5;
                """);
        }

        if (version < 4)
        {
            await ExecuteAsync($"""
                DROP INDEX {s}.challenges_principal_idx;
                ALTER TABLE {s}.challenges DROP COLUMN pending, DROP COLUMN pending_until, DROP COLUMN seq;
                ALTER TABLE {s}.principal_lockouts DROP COLUMN last_sent_at;
                DELETE FROM {s}.schema_version WHERE version = 4;
                """);
        }

        if (version < 3)
        {
            await ExecuteAsync($"""
                DROP TABLE {s}.totp_enrollments, {s}.recovery_codes;
                ALTER TABLE {s}.challenges DROP COLUMN step_up_redeemed;
                DELETE FROM {s}.schema_version WHERE version = 3;
                """);
        }

        Assert.That(await CountAsync($"SELECT max(version) FROM {s}.schema_version"), Is.EqualTo(version));
    }

    /// <summary>The single text column of every row <paramref name="sql"/> answers, in its order.</summary>
    private static async Task<List<string>> TextRowsAsync(string sql)
    {
        var rows = new List<string>();
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>Every row of the given tables, as text, in a stable order.</summary>
    private async Task<List<string>> AllRowsAsync(IEnumerable<string> tables)
    {
        var rows = new List<string>();
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        foreach (var table in tables)
        {
            await using var command = dataSource.CreateCommand($"SELECT '{table}: ' || r::text FROM \"{_schema}\".{table} AS r ORDER BY 1");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    /// <summary>Every row of the challenge and authenticator tables, in the columns schema <paramref name="version"/> has.</summary>
    private async Task<List<string>> RowsAsync(int version)
    {
        var s = $"\"{_schema}\"";
        var challengeColumns = "tenant_id, token_hash, principal_id, factor, code_digest, created_at, code_expires_at, expires_at, resend_available_at, attempts, sends, consumed_at"
            + (version >= 3 ? ", step_up_redeemed" : string.Empty)
            + (version >= 4 ? ", pending, pending_until, seq" : string.Empty);
        var tables = new List<string>
        {
            $"SELECT {challengeColumns} FROM {s}.challenges",
            $"SELECT tenant_id, principal_id, failures, locked_until{(version >= 4 ? ", last_sent_at" : string.Empty)} FROM {s}.principal_lockouts",
            $"SELECT * FROM {s}.tenants",
            $"SELECT * FROM {s}.principals",
        };
        if (version >= 3)
        {
            tables.Add($"SELECT tenant_id, principal_id, active_secret, last_step, pending_secret, pending_expires_at FROM {s}.totp_enrollments");
            tables.Add($"SELECT tenant_id, principal_id, lookup_id, hash, salt, iterations, used FROM {s}.recovery_codes");
        }

        var rows = new List<string>();
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        foreach (var table in tables)
        {
            await using var command = dataSource.CreateCommand($"SELECT r::text FROM ({table}) AS r ORDER BY 1");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(version == 2 ? 4 : 8), "the rows the earlier release wrote");
        return rows;
    }

    private static async Task<(string Token, string Code)> StartAsync(TestNode node, TenantId tenant, long id)
    {
        var started = await node.Challenges.StartAsync(tenant, id);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, node.Sender.LastCode(tenant, id));
    }

    private static async Task<ChallengeVerifyResult> LoginAsync(TestNode node, TenantId tenant, long id, string code)
    {
        var started = await node.Challenges.StartAsync(tenant, id);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return await node.Challenges.VerifyAsync(tenant, started.Token, code);
    }

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    private static async Task<long> CountAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

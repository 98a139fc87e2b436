using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.PostgreSql.Tests.Schema;

/// <summary>Upgrading a version 6 schema (audit trail and remembered devices) that holds rows of every table.</summary>
public sealed partial class PostgreSqlMigrationUpgradeTests
{
    [Test]
    [Description("D2 Migration 8 (the device purge index) on a version 6 schema keeps every row of every table; a device remembered before is honoured after, and the purge deletes it once expired")]
    public async Task MigrateAsync_FromVersion6WithRows_KeepsEveryRowOfEveryTable_AndDevicesArePurgedOnceExpired()
    {
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-device-purge", time: time);
        await before.Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = NewTenant();
        await WriteAuthenticatorRowsAsync(before, tenant);
        var email = await WriteEmailRowsAsync(before, tenant);
        var devices = before.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
        Assert.That(await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(30)), Is.True);
        var remembered = await devices.RememberAsync(tenant, 7, email.Passed, "Firefox");
        Assert.That(remembered.Outcome, Is.EqualTo(RememberDeviceOutcome.Remembered), remembered.ToString());
        await before.DisposeAsync();
        await DowngradeAsync(6);
        var tables = new[] { "tenants", "principals", "challenges", "principal_lockouts", "totp_enrollments", "recovery_codes", "scheduled_changes", "remembered_devices", "remember_periods" };
        var kept = await AllRowsAsync(tables);
        var keptEntries = await TextRowsAsync(Version6EntriesSql);

        var after = StartNode("after-device-purge", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count(m => m.Version > 6)), "only the missing steps");
        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        Assert.That(await AllRowsAsync(tables), Is.EqualTo(kept), "every row kept as it was");
        Assert.That(kept.Count(r => r.StartsWith("remembered_devices: ", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(await TextRowsAsync(Version6EntriesSql), Is.EqualTo(keptEntries), "every audit entry kept as it was (migration 9 adds columns)");
        Assert.That(keptEntries, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(await CountAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{_schema}' AND indexname = 'remembered_devices_issued_idx'"), Is.EqualTo(1));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await after.Challenges.StartAsync(tenant, 7, remembered.Token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "remembered before the upgrade");
        var store = after.Provider.GetRequiredService<IRememberedDeviceStore>();
        Assert.That(await store.PurgeExpiredAsync(time.GetUtcNow(), 100, CancellationToken.None), Is.Zero, "not expired yet");
        time.Advance(TimeSpan.FromDays(30));
        Assert.That(await store.PurgeExpiredAsync(time.GetUtcNow(), 100, CancellationToken.None), Is.EqualTo(1));
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".remembered_devices"), Is.Zero);
    }
}

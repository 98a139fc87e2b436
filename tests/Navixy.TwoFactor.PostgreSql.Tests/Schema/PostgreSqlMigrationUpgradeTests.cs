using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Schema;

/// <summary>
/// Upgrading a database that holds data: a schema at version 2 (policy and email challenges, as the previous release left
/// it) with accounts, passed, open and failed challenges and a failure count, migrated to the latest version in a schema
/// of its own that the test drops afterwards.
/// </summary>
public sealed class PostgreSqlMigrationUpgradeTests : PostgreSqlFixture
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string? _schema;

    [SetUp]
    public void NewSchema() => _schema = PostgreSqlTestDatabase.NewSchemaName("upgrade");

    [TearDown]
    public async Task DropSchema()
    {
        await StopNodes();
        await PostgreSqlTestDatabase.DropSchemaAsync(_schema!);
    }

    [Test]
    public async Task MigrateAsync_FromVersion2WithRows_AddsTheAuthenticatorTablesAndKeepsEveryRow()
    {
        await MigrateToVersion2Async();
        var time = new FakeTimeProvider(Epoch);
        var before = StartNode("before-upgrade", time: time);
        var tenant = NewTenant();
        await before.RegisterAccountsAsync(tenant, 7, 1);
        Assert.That((await before.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
        var passed = await StartAsync(before, tenant);
        Assert.That((await before.Challenges.VerifyAsync(tenant, passed.Token, passed.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        var open = await StartAsync(before, tenant);
        var failing = await StartAsync(before, tenant);
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await before.Challenges.VerifyAsync(tenant, failing.Token, WrongCode(failing.Code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode));
        }

        await before.DisposeAsync();
        var after = StartNode("after-upgrade", time: time);
        var migrator = after.Provider.GetRequiredService<IPostgreSqlMigrator>();

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(1), "only the authenticator step was missing");
        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".challenges WHERE tenant_id = {tenant.Value} AND NOT step_up_redeemed"), Is.EqualTo(3), "every challenge kept, none redeemed");

        // The failure count survived: three before the upgrade, seven after, and the tenth locks.
        for (var i = 0; i < 6; i++)
        {
            var (token, code) = i < 2 ? failing : await StartAsync(after, tenant);
            Assert.That((await after.Challenges.VerifyAsync(tenant, token, WrongCode(code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"failure {4 + i}");
        }

        var tenth = await StartAsync(after, tenant);
        Assert.That((await after.Challenges.VerifyAsync(tenant, tenth.Token, WrongCode(tenth.Code))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked), "failure 10");
        Assert.That(await after.Challenges.UnlockPrincipalAsync(tenant, 7), Is.True);

        // A challenge opened before the upgrade passes after it; one passed before it is proof of a second step, once.
        Assert.That((await after.Challenges.VerifyAsync(tenant, open.Token, open.Code)).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That((await after.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp))).Succeeded, Is.True);
        var app = TestAuthenticator.From(await after.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));
        Assert.That((await after.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        Assert.That((await after.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, passed.Token)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated));
        Assert.That((await after.Enrollment.DisableAsync(tenant, 7, passed.Token)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.StepUpRequired));
    }

    [Test]
    public async Task GenerateScript_OnAVersion2Schema_AppliesOnlyTheMissingStep()
    {
        await MigrateToVersion2Async();
        var node = StartNode("script");
        var migrator = node.Provider.GetRequiredService<IPostgreSqlMigrator>();

        await ExecuteAsync(migrator.GenerateScript());

        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        Assert.That(await CountAsync($"SELECT count(*) FROM \"{_schema}\".schema_version"), Is.EqualTo(migrator.LatestVersion), "each step recorded once");
        Assert.That(await migrator.MigrateAsync(), Is.Zero);
    }

    /// <summary>Every node of this fixture uses the test's own schema.</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        base.ConfigureStores(builder);
        builder.Services.Configure<PostgreSqlStoreOptions>(o => o.Schema = _schema!);
    }

    /// <summary>Applies the migration's steps up to version 2 only, as the previous release did.</summary>
    private async Task MigrateToVersion2Async()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        var database = new PostgreSqlDatabase(dataSource, ownsDataSource: false, Options.Create(new PostgreSqlStoreOptions { Schema = _schema! }));
        var steps = PostgreSqlMigrations.All.Where(m => m.Version <= 2).Select(m => PostgreSqlMigrations.Step(database, m));
        await ExecuteAsync(string.Join('\n', [PostgreSqlMigrations.Preamble(database), .. steps]));
        Assert.That(await CountAsync($"SELECT max(version) FROM \"{_schema}\".schema_version"), Is.EqualTo(2));
    }

    private static async Task<(string Token, string Code)> StartAsync(TestNode node, TenantId tenant)
    {
        var started = await node.Challenges.StartAsync(tenant, 7);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, node.Sender.LastCode(tenant, 7));
    }

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    private static async Task<long> CountAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

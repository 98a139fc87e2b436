using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Schema;

/// <summary>The migration on a real server, each test in a schema of its own that it drops afterwards.</summary>
public sealed class PostgreSqlMigratorTests
{
    private readonly List<string> _schemas = [];
    private readonly List<ServiceProvider> _providers = [];

    [OneTimeSetUp]
    public Task RequireDatabase() => PostgreSqlTestDatabase.RequireAsync();

    [TearDown]
    public async Task DropSchemas()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var schema in _schemas)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }

        _providers.Clear();
        _schemas.Clear();
    }

    [Test]
    public async Task MigrateAsync_FreshDatabase_AppliesEveryStepThenNothing()
    {
        var migrator = Migrator(NewSchema());
        Assert.That(await migrator.GetSchemaVersionAsync(), Is.Zero);

        Assert.That(await migrator.MigrateAsync(), Is.EqualTo(PostgreSqlMigrations.All.Count));
        Assert.That(await migrator.MigrateAsync(), Is.Zero);
        Assert.That(await migrator.GetSchemaVersionAsync(), Is.EqualTo(migrator.LatestVersion));
    }

    [Test]
    public async Task MigrateAsync_FreshDatabase_EndsAtTheLatestVersionWithTheReservationColumnsAndTheIndex()
    {
        var schema = NewSchema();
        var migrator = Migrator(schema);

        await migrator.MigrateAsync();

        Assert.That(migrator.LatestVersion, Is.EqualTo(9));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name IN ('enrollment_periods', 'enrollment_period_starts')"), Is.EqualTo(2));
        Assert.That(await StepsRecordedAsync(schema), Is.EqualTo(PostgreSqlMigrations.All.Count));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'scheduled_changes_due_idx'"), Is.EqualTo(1));
        Assert.That(
            await ScalarAsync($"""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = '{schema}' AND (table_name, column_name, is_nullable) IN (
                    ('challenges', 'pending', 'NO'), ('challenges', 'pending_until', 'NO'), ('challenges', 'seq', 'NO'),
                    ('principal_lockouts', 'last_sent_at', 'YES'),
                    ('audit_entries', 'effective_at', 'YES'), ('audit_entries', 'cancelled_operation', 'NO'))
                """),
            Is.EqualTo(6));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'challenges_principal_idx'"), Is.EqualTo(1));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'remembered_devices_issued_idx'"), Is.EqualTo(1));
    }

    [Test]
    [Repeat(5)]
    public async Task MigrateAsync_TwoNodesAtOnce_AppliesEachStepOnceAndBothSucceed()
    {
        var schema = NewSchema();
        var a = Migrator(schema);
        var b = Migrator(schema);

        var applied = await Task.WhenAll(Task.Run(() => a.MigrateAsync()), Task.Run(() => b.MigrateAsync()));

        Assert.That(applied.Sum(), Is.EqualTo(PostgreSqlMigrations.All.Count), "between them, the two runs applied each step once");
        Assert.That(await StepsRecordedAsync(schema), Is.EqualTo(PostgreSqlMigrations.All.Count));
    }

    [Test]
    public async Task GenerateScript_RunTwiceByAnotherTool_CreatesASchemaTheStoresUse()
    {
        var schema = NewSchema();
        var migrator = Migrator(schema);
        var script = migrator.GenerateScript();

        await ExecuteAsync(script);
        await ExecuteAsync(script);

        Assert.That(await StepsRecordedAsync(schema), Is.EqualTo(PostgreSqlMigrations.All.Count));
        Assert.That(await migrator.MigrateAsync(), Is.Zero, "MigrateAsync finds nothing left to do");
        var provider = Provider(schema);
        var tenant = new TenantId(1);
        Assert.That((await provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(tenant, 7)).Succeeded, Is.True);
        Assert.That((await provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(tenant, 7)).Explanation.PrincipalKind, Is.EqualTo(PrincipalKind.Account));
    }

    [Test]
    public void GenerateScript_QualifiesEveryObjectWithTheConfiguredSchema()
    {
        var schema = NewSchema();

        var script = Migrator(schema).GenerateScript();

        Assert.That(script, Does.Contain($"CREATE SCHEMA IF NOT EXISTS \"{schema}\""));
        Assert.That(script, Does.Contain($"CREATE TABLE \"{schema}\".principals"));
        Assert.That(script, Does.Not.Contain(PostgreSqlStoreOptions.DefaultSchema));
        Assert.That(script.TrimEnd(), Does.StartWith("--").And.EndWith("COMMIT;"));
    }

    [Test]
    public async Task Stores_InTwoSchemas_ShareNothing()
    {
        var first = Provider(NewSchema());
        var second = Provider(NewSchema());
        await first.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        await second.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        var tenant = new TenantId(1);

        await first.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(tenant, 7);

        Assert.That((await second.GetRequiredService<ITwoFactorResolver>().ResolveAsync(tenant, 7)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
    }

    [Test]
    public async Task MigrateAsync_ReadOnlyDatabase_ThrowsPostgresExceptionAndAppliesNothing()
    {
        var database = "navixy_ro_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            await ExecuteAsync($"ALTER DATABASE {database} SET default_transaction_read_only = on");
            var connection = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString) { Database = database, Pooling = false };
            var services = new ServiceCollection();
            services.AddNavixyTwoFactor().UsePostgreSql(connection.ConnectionString);
            await using var provider = services.BuildServiceProvider();
            var migrator = provider.GetRequiredService<IPostgreSqlMigrator>();

            var error = Assert.CatchAsync<PostgresException>(() => migrator.MigrateAsync());

            Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));
            Assert.That(await migrator.GetSchemaVersionAsync(), Is.Zero);
        }
        finally
        {
            await ExecuteAsync($"DROP DATABASE {database} WITH (FORCE)");
        }
    }

    private string NewSchema()
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName("migration");
        _schemas.Add(schema);
        return schema;
    }

    private ServiceProvider Provider(string schema)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(PostgreSqlTestDatabase.ConnectionString, options => options.Schema = schema);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private IPostgreSqlMigrator Migrator(string schema) => Provider(schema).GetRequiredService<IPostgreSqlMigrator>();

    private static async Task<long> StepsRecordedAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".schema_version");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

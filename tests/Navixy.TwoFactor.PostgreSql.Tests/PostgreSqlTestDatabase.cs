using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against, named by <see cref="Variable"/> (<c>.ci/run</c> starts a throwaway
/// cluster and sets it). Without it the fixtures report as skipped, with the reason; under <c>CI=true</c> they fail.
/// </summary>
internal static class PostgreSqlTestDatabase
{
    public const string Variable = "NAVIXY_TWOFACTOR_TEST_PG";

    private static readonly Lazy<Task> DefaultSchemaMigration = new(MigrateDefaultSchemaAsync);

    /// <summary>The connection string; only after <see cref="RequireAsync"/>.</summary>
    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException(Variable + " is not set.");

    /// <summary>
    /// Call from a fixture's one-time set-up: skips the fixture (locally) or fails it (CI) when no database is
    /// configured, and migrates the default schema once per test run.
    /// </summary>
    public static async Task RequireAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{Variable} is not set, and under CI=true the PostgreSQL tests must run: .ci/run starts a server and sets it.");
            }

            Assert.Ignore($"No PostgreSQL server: set {Variable} to an Npgsql connection string to run these tests (bash .ci/run starts one).");
        }

        await DefaultSchemaMigration.Value;
    }

    /// <summary>A data source of its own (its own pool, like another node), named so that the server can tell it apart.</summary>
    public static NpgsqlDataSource CreateDataSource(string applicationName, RoundTripCounter? roundTrips = null, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var connection = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = applicationName };
        configure?.Invoke(connection);
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
        roundTrips?.Observe(builder);
        return builder.Build();
    }

    /// <summary>A fresh schema name, so that a migration test cannot meet another test's tables.</summary>
    public static string NewSchemaName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..40];

    public static async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    private static async Task MigrateDefaultSchemaAsync()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(ConnectionString);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
    }
}

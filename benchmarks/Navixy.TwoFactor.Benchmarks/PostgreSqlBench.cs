using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>Where the PostgreSQL benchmarks find their server, and the bulk loading they share.</summary>
internal static class PostgreSqlBench
{
    /// <summary>The benchmarks' own schema, so a run never touches a host's data.</summary>
    public const string Schema = "navixy_twofactor_bench";

    /// <summary>Fixed so every benchmark process of one run reads the same challenges' keys.</summary>
    public static readonly string KeyMaterial = Convert.ToBase64String(SHA256.HashData("Navixy.TwoFactor benchmarks"u8));

    /// <summary><c>NAVIXY_TWOFACTOR_BENCH_PG</c>, else <c>NAVIXY_TWOFACTOR_TEST_PG</c>; null when neither is set.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("NAVIXY_TWOFACTOR_BENCH_PG") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("NAVIXY_TWOFACTOR_TEST_PG") is { Length: > 0 } test ? test
        : null;

    public static ServiceProvider CreateProvider(NpgsqlDataSource dataSource, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UsePostgreSql(dataSource, o => o.Schema = Schema);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync().GetAwaiter().GetResult();
        return provider;
    }

    /// <summary>
    /// Fills a tenant with <paramref name="accounts"/> accounts in one statement (registering a million one by one
    /// would take minutes). The rows are what registrations at the tenant default (disallowed) would have written.
    /// </summary>
    public static void EnsureTenant(NpgsqlDataSource dataSource, long tenant, int accounts)
    {
        using var connection = dataSource.OpenConnection();
        using (var check = new NpgsqlCommand($"SELECT non_demo_accounts FROM {Schema}.tenants WHERE tenant_id = @t", connection))
        {
            check.Parameters.AddWithValue("t", tenant);
            if (check.ExecuteScalar() is long existing && existing == accounts)
            {
                return;
            }
        }

        var n = accounts.ToString(CultureInfo.InvariantCulture);
        using var load = new NpgsqlCommand(
            $"""
            DELETE FROM {Schema}.principals WHERE tenant_id = @t;
            DELETE FROM {Schema}.tenants WHERE tenant_id = @t;
            INSERT INTO {Schema}.tenants (tenant_id, version, non_demo_accounts, effective_counts)
                VALUES (@t, {n}, {n}, jsonb_build_object('0', {n}));
            INSERT INTO {Schema}.principals (tenant_id, principal_id, kind, setting, source, version)
                SELECT @t, id, 1, 0, 1, id FROM generate_series(1, {n}) AS id;
            ANALYZE {Schema}.principals;
            """,
            connection);
        load.Parameters.AddWithValue("t", tenant);
        load.CommandTimeout = 600;
        load.ExecuteNonQuery();
    }
}

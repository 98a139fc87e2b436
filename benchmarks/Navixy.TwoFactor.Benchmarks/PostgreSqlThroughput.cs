using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.PostgreSql;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// What the PostgreSQL throughput benchmarks share: the engine over the data source <c>UsePostgreSql(connectionString)</c>
/// builds (so with the settings a host gets by default), the baseline of bare single-row conditional
/// <c>UPDATE … RETURNING</c> commits on that same data source, and the concurrent callers.
/// </summary>
internal sealed class PostgreSqlThroughput : IDisposable
{
    private const string BareTable = PostgreSqlBench.Schema + ".bench_bare_update";
    private readonly int _rows;

    /// <param name="rows">Operations per invocation: rows of the baseline's table, principals of the engine's side.</param>
    /// <param name="configure">Registers what the engine's side needs (an email sender, a clock) before the engine.</param>
    public PostgreSqlThroughput(int rows, Action<IServiceCollection>? configure = null)
    {
        _rows = rows;
        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddNavixyTwoFactor(o => o.KeyMaterial = PostgreSqlBench.KeyMaterial)
            .UsePostgreSql(new NpgsqlConnectionStringBuilder(PostgreSqlBench.ConnectionString!) { MaxPoolSize = 64 }.ConnectionString, o => o.Schema = PostgreSqlBench.Schema);
        Provider = services.BuildServiceProvider();
        Provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync().GetAwaiter().GetResult();
        DataSource = Provider.GetRequiredService<PostgreSqlDatabase>().DataSource;
        Execute($"""
            DROP TABLE IF EXISTS {BareTable};
            CREATE TABLE {BareTable} (id integer PRIMARY KEY, attempts integer NOT NULL, consumed boolean NOT NULL);
            INSERT INTO {BareTable} SELECT id, 0, false FROM generate_series(1, {rows}) AS id;
            """);
    }

    public ServiceProvider Provider { get; }

    /// <summary>The engine's own data source (Max Auto Prepare 64, No Reset On Close, as the package sets them).</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Makes every row of the baseline's table updatable again.</summary>
    public void ResetBaseline() => Execute($"UPDATE {BareTable} SET attempts = 0, consumed = false");

    /// <summary>One bare conditional update of row <paramref name="i"/> + 1 in its own implicit transaction.</summary>
    public async Task<bool> BareUpdateAsync(int i)
    {
        await using var command = DataSource.CreateCommand(
            $"UPDATE {BareTable} SET attempts = attempts + 1, consumed = true WHERE id = $1 AND NOT consumed AND attempts < 5 RETURNING attempts");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i + 1 });
        return await command.ExecuteScalarAsync() is int;
    }

    /// <summary>Runs <paramref name="operation"/> for 0 … rows − 1 on <paramref name="callers"/> concurrent callers; every one must succeed.</summary>
    public async Task<int> RunAsync(int callers, Func<int, Task<bool>> operation)
    {
        var next = -1;
        var passed = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < _rows)
            {
                if (await operation(i))
                {
                    Interlocked.Increment(ref passed);
                }
            }
        })));

        return passed == _rows ? passed : throw new InvalidOperationException($"{passed} of {_rows} operations passed.");
    }

    public void Execute(string sql)
    {
        using var command = DataSource.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    public void Dispose() => Provider.Dispose();
}

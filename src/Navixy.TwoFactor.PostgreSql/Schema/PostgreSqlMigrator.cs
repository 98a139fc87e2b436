using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>Applies <see cref="PostgreSqlMigrations"/> to the configured schema.</summary>
internal sealed partial class PostgreSqlMigrator(PostgreSqlDatabase database, ILogger<PostgreSqlMigrator> logger) : IPostgreSqlMigrator
{
    private readonly ILogger _logger = logger;

    public int LatestVersion => PostgreSqlMigrations.LatestVersion;

    public string GenerateScript() => PostgreSqlMigrations.Script(database);

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The preamble takes the lock first, so the version read below cannot change until the commit.
                await ExecuteAsync(connection, transaction, PostgreSqlMigrations.Preamble(database), cancellationToken).ConfigureAwait(false);
                var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var pending = PostgreSqlMigrations.All.Where(m => !applied.Contains(m.Version)).ToList();
                if (pending.Count > 0)
                {
                    var steps = new StringBuilder();
                    foreach (var migration in pending)
                    {
                        steps.AppendLine(PostgreSqlMigrations.Step(database, migration));
                    }

                    await ExecuteAsync(connection, transaction, steps.ToString(), cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (pending.Count > 0)
                {
                    LogMigrated(database.SchemaName, current, pending[^1].Version);
                }
                else
                {
                    LogUpToDate(database.SchemaName, current);
                }

                return pending.Count;
            }
        }
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand(
                $"SELECT to_regclass('{database.Schema}.schema_version') IS NOT NULL",
                connection);
            await using (command.ConfigureAwait(false))
            {
                var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                return exists ? await ReadVersionAsync(connection, transaction: null, cancellationToken).ConfigureAwait(false) : 0;
            }
        }
    }

    private async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(PostgreSqlMigrations.CurrentVersionQuery(database), connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(PostgreSqlMigrations.AppliedVersionsQuery(database), connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            return [.. (int[])(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!];
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "PostgreSQL schema {Schema} migrated from version {From} to {To}.")]
    private partial void LogMigrated(string schema, int from, int to);

    [LoggerMessage(2, LogLevel.Debug, "PostgreSQL schema {Schema} is at version {Version}; nothing to migrate.")]
    private partial void LogUpToDate(string schema, int version);
}

namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>
/// Creates and upgrades the engine's PostgreSQL schema. The host runs <see cref="MigrateAsync"/> once at start
/// (every node may: concurrent runs are serialised and each step runs once), or feeds
/// <see cref="GenerateScript"/> to its own migration tool. The stores do not migrate on their own.
/// </summary>
public interface IPostgreSqlMigrator
{
    /// <summary>The schema version this version of the library needs (the number of its migration steps).</summary>
    int LatestVersion { get; }

    /// <summary>
    /// Applies, in one transaction under an advisory lock, every step the database does not have yet. Idempotent:
    /// an up-to-date schema is left alone. A schema migrated by a later version of the library is left alone too.
    /// </summary>
    /// <param name="cancellationToken">Cancels the migration; a cancelled migration applies nothing.</param>
    /// <returns>How many steps this call applied (0 when the schema was up to date).</returns>
    /// <exception cref="Npgsql.NpgsqlException">
    /// The database cannot be reached (its inner exception says why, e.g. a refused connection), or the server
    /// refused a statement (<see cref="Npgsql.PostgresException"/>, e.g. SQLSTATE 25006 for a read-only database or
    /// 42501 when the role may not create the schema). Nothing was applied.
    /// </exception>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the version the database's schema is at; 0 when it was never migrated.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="Npgsql.NpgsqlException">The database cannot be reached or refused the read.</exception>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The SQL that <see cref="MigrateAsync"/> applies, as one idempotent script with its own transaction, for a
    /// host that runs migrations with its own tool. Running it on an up-to-date schema changes nothing.
    /// </summary>
    string GenerateScript();
}

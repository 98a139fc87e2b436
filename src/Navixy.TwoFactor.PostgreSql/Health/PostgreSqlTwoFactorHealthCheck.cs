using Microsoft.Extensions.Diagnostics.HealthChecks;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Health;

/// <summary>
/// Whether this node can use its PostgreSQL stores: the database answers, and its schema version is the latest migration
/// this build knows (<see cref="IPostgreSqlMigrator.LatestVersion"/>). Register it with
/// <c>services.AddHealthChecks().AddNavixyTwoFactorPostgreSql()</c>. One connection and two short statements per check;
/// the result's data carries <c>schema_version</c> and <c>expected_schema_version</c>, never the connection string.
/// </summary>
public sealed class PostgreSqlTwoFactorHealthCheck : IHealthCheck
{
    private readonly IPostgreSqlMigrator _migrator;

    /// <summary>Creates the check over the migrator of the registered PostgreSQL stores.</summary>
    /// <param name="migrator">The migrator (<c>UsePostgreSql</c> registers it).</param>
    public PostgreSqlTwoFactorHealthCheck(IPostgreSqlMigrator migrator)
    {
        ArgumentNullException.ThrowIfNull(migrator);
        _migrator = migrator;
    }

    /// <summary>
    /// Healthy when the schema is at the latest version; the registration's failure status (default unhealthy) when the
    /// database cannot be reached or the schema is behind (run the migration); degraded when the schema is ahead of this
    /// build (a newer node migrated it: upgrade this one).
    /// </summary>
    /// <param name="context">The check's context.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var expected = _migrator.LatestVersion;
        int version;
        try
        {
            version = await _migrator.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(failure, "The Navixy.TwoFactor PostgreSQL database cannot be reached.", exception);
        }

        var data = new Dictionary<string, object>
        {
            ["schema_version"] = version,
            ["expected_schema_version"] = expected,
        };
        return version == expected
            ? HealthCheckResult.Healthy($"Schema version {version}, the latest.", data)
            : version < expected
                ? new HealthCheckResult(failure, $"Schema version {version}; this build needs {expected}: run the migration.", data: data)
                : HealthCheckResult.Degraded($"Schema version {version} is newer than this build knows ({expected}): upgrade this node.", data: data);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Navixy.TwoFactor.PostgreSql.Health;
using Navixy.TwoFactor.PostgreSql.Schema;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health check of the Navixy.TwoFactor PostgreSQL stores.</summary>
public static class PostgreSqlTwoFactorHealthCheckExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "navixy-twofactor-postgresql";

    /// <summary>
    /// Adds <see cref="PostgreSqlTwoFactorHealthCheck"/>: the database answers and its schema is at the latest migration.
    /// Needs <c>UsePostgreSql</c> on the engine's builder.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name; default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">What a failure reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <param name="timeout">How long the check may take; default none.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddNavixyTwoFactorPostgreSql(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new PostgreSqlTwoFactorHealthCheck(sp.GetRequiredService<IPostgreSqlMigrator>()),
            failureStatus,
            tags,
            timeout));
    }
}

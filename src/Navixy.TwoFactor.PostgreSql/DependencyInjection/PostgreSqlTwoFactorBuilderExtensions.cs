using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.PostgreSql;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.PostgreSql.Stores;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Navixy.TwoFactor's state in PostgreSQL, shared by every node that uses the same database.</summary>
/// <remarks>
/// Each store operation is atomic and takes one round trip. Expected outcomes (not found, already exists, rejected
/// update, wrong code, expired, locked, replayed step, used recovery code) stay results; a database failure throws <see cref="NpgsqlException"/> (a <see cref="PostgresException"/>
/// when the server reports it, e.g. SQLSTATE 57P01 for a terminated connection) and a cancelled token
/// <see cref="OperationCanceledException"/>. A failed operation wrote nothing, or all of it when the connection
/// broke just after the commit; never a part. The stores need the role's default isolation level, READ COMMITTED.
/// </remarks>
public static class PostgreSqlTwoFactorBuilderExtensions
{
    /// <summary>The <c>Max Auto Prepare</c> set on a data source built from a connection string that leaves it out.</summary>
    internal const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Replaces the in-memory stores (policy, challenge, authenticator enrolment and recovery code stores, the audit trail,
    /// remembered devices and enrolment periods) with
    /// PostgreSQL stores over a data source built from <paramref name="connectionString"/> (owned and disposed by the
    /// service provider; it logs through the host's <see cref="ILoggerFactory"/> when there is one). Wins over the in-memory defaults whatever the order
    /// of registration. Opens no connection: run <see cref="IPostgreSqlMigrator.MigrateAsync"/> at start, or apply
    /// <see cref="IPostgreSqlMigrator.GenerateScript"/> with your own tool, before the first request. Makes
    /// <c>TwoFactorOptions.KeyMaterial</c> mandatory (<see cref="TwoFactorBuilderExtensions.RequireKeyMaterial"/>): options
    /// validation refuses to start without it, because stored challenges outlive the process and are shared by
    /// every node. Schedule <see cref="IChallengeStore.PurgeExpiredAsync"/> to delete ended challenges. Unless the string sets
    /// <c>Max Auto Prepare</c>, it is set to 64, so that the stores' statements are prepared once per connection; unless it sets
    /// <c>No Reset On Close</c>, it is set to true: the stores leave no session state (no <c>SET</c>, session advisory lock,
    /// <c>LISTEN</c>, cursor or temporary table), so the reset Npgsql would otherwise send with each pooled connection's next
    /// statement is pure cost.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddNavixyTwoFactor</c>.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Configures <see cref="PostgreSqlStoreOptions"/>; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid Npgsql connection string.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter, so no call is ambiguous.")]
    public static TwoFactorBuilder UsePostgreSql(this TwoFactorBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Parsed now so that a malformed string fails at registration (the parser names the bad keyword, not the secrets).
        _ = new NpgsqlConnectionStringBuilder(connectionString);
        return Register(builder, configure, sp =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            if (!Sets(connectionString, "Max Auto Prepare"))
            {
                // The stores run a small fixed set of statements on every login: prepared once per connection, the server
                // stops parsing and planning them on each call (docs/benchmarks.md measures it). A host's own value wins.
                dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            }

            if (!Sets(connectionString, "No Reset On Close"))
            {
                // The data source is the stores' own, and they leave no session state behind: without this, Npgsql sends a
                // reset (seven statements) ahead of each pooled connection's next statement, about a third of the server's
                // time for a one-row statement (docs/benchmarks.md, run E). A host's own value wins.
                dataSourceBuilder.ConnectionStringBuilder.NoResetOnClose = true;
            }

            if (sp.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                dataSourceBuilder.UseLoggerFactory(loggerFactory);
            }

            return new PostgreSqlDatabase(dataSourceBuilder.Build(), ownsDataSource: true, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>());
        });
    }

    /// <summary>
    /// Whether <paramref name="connectionString"/> itself names <paramref name="keyword"/> (in any case, with or without its
    /// spaces). Npgsql's own builder cannot say: its <c>ContainsKey</c> answers whether a keyword is known, so it is true for
    /// every setting whether the string has it or not.
    /// </summary>
    private static bool Sets(string connectionString, string keyword)
    {
        static string Plain(string key) => key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(key => Plain(key) == Plain(keyword));
    }

    /// <summary>
    /// Replaces the in-memory stores with PostgreSQL stores over <paramref name="dataSource"/>, which the host
    /// owns (the service provider does not dispose it). Otherwise as the connection-string overload.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddNavixyTwoFactor</c>.</param>
    /// <param name="dataSource">The data source to open connections from.</param>
    /// <param name="configure">Configures <see cref="PostgreSqlStoreOptions"/>; optional.</param>
    /// <returns>The builder.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter, so no call is ambiguous.")]
    public static TwoFactorBuilder UsePostgreSql(this TwoFactorBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return Register(builder, configure, sp => new PostgreSqlDatabase(dataSource, ownsDataSource: false, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>()));
    }

    private static TwoFactorBuilder Register(TwoFactorBuilder builder, Action<PostgreSqlStoreOptions>? configure, Func<IServiceProvider, PostgreSqlDatabase> database)
    {
        var services = builder.Services;
        var options = services.AddOptions<PostgreSqlStoreOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());

        // The last UsePostgreSql call decides the database.
        services.RemoveAll<PostgreSqlDatabase>();
        services.AddSingleton(database);
        services.TryAddSingleton<PostgreSqlPolicyStore>();
        services.TryAddSingleton<IPostgreSqlMigrator>(static sp => new PostgreSqlMigrator(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PostgreSqlMigrator>() ?? NullLogger<PostgreSqlMigrator>.Instance));

        // Replace, not TryAdd: the core registers its in-memory stores with TryAdd, so this wins in any order.
        services.RemoveAll<IPrincipalPolicyStore>();
        services.RemoveAll<IPrincipalDirectoryStore>();
        services.RemoveAll<ISettingsStore>();
        services.AddSingleton<IPrincipalPolicyStore>(static sp => sp.GetRequiredService<PostgreSqlPolicyStore>());
        services.AddSingleton<IPrincipalDirectoryStore>(static sp => sp.GetRequiredService<PostgreSqlPolicyStore>());
        services.AddSingleton<ISettingsStore>(static sp => sp.GetRequiredService<PostgreSqlPolicyStore>());
        services.TryAddSingleton<PostgreSqlChallengeStore>();
        services.RemoveAll<IChallengeStore>();
        services.AddSingleton<IChallengeStore>(static sp => sp.GetRequiredService<PostgreSqlChallengeStore>());
        services.TryAddSingleton<PostgreSqlAuditTrailStore>();
        services.RemoveAll<IAuditTrailStore>();
        services.AddSingleton<IAuditTrailStore>(static sp => sp.GetRequiredService<PostgreSqlAuditTrailStore>());
        services.TryAddSingleton<PostgreSqlRememberedDeviceStore>();
        services.RemoveAll<IRememberedDeviceStore>();
        services.AddSingleton<IRememberedDeviceStore>(static sp => sp.GetRequiredService<PostgreSqlRememberedDeviceStore>());
        services.TryAddSingleton<PostgreSqlEnrollmentPeriodStore>();
        services.RemoveAll<IEnrollmentPeriodStore>();
        services.AddSingleton<IEnrollmentPeriodStore>(static sp => sp.GetRequiredService<PostgreSqlEnrollmentPeriodStore>());
        services.TryAddSingleton<PostgreSqlTotpStore>();
        services.RemoveAll<ITotpEnrollmentStore>();
        services.RemoveAll<IRecoveryCodeStore>();
        services.AddSingleton<ITotpEnrollmentStore>(static sp => sp.GetRequiredService<PostgreSqlTotpStore>());
        services.AddSingleton<IRecoveryCodeStore>(static sp => sp.GetRequiredService<PostgreSqlTotpStore>());

        // Challenges outlive the process and are shared by every node: an ephemeral key would strand them.
        return builder.RequireKeyMaterial();
    }
}

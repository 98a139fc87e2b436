using System.Globalization;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>Commands several PostgreSQL stores build the same way.</summary>
internal static class PostgreSqlCommands
{
    /// <summary>Adds <paramref name="sql"/> to <paramref name="batch"/>, bound to <c>@tenant</c> and <c>@principal</c>.</summary>
    public static NpgsqlBatchCommand AddKeyed(NpgsqlBatch batch, string sql, TenantId tenant, long principalId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>
    /// Reads a tenant's period (the remember period, the enrolment period) with <paramref name="sql"/>, which selects its
    /// ticks by <c>@tenant</c>; <see cref="TimeSpan.Zero"/> (off) for a tenant that never set one.
    /// </summary>
    public static async ValueTask<TimeSpan> ReadTenantPeriodAsync(NpgsqlDataSource dataSource, string sql, TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? TimeSpan.FromTicks(ticks) : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Sets a tenant's period with <paramref name="sql"/>, one statement that also appends its audit-trail entry (A2); binds
    /// <c>@tenant</c>, <c>@period</c> (ticks), <c>@detail</c> (the period as text) and the audit parameters.
    /// </summary>
    public static async ValueTask WriteTenantPeriodAsync(NpgsqlDataSource dataSource, string sql, TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("period", period.Ticks));
            command.Parameters.Add(new NpgsqlParameter<string>("detail", period.ToString("c", CultureInfo.InvariantCulture)));
            PostgreSqlPolicyStore.AddAudit(command.Parameters, audit);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
